package dev.packetstream.samples.wire;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The load viewers' DTLS identity: an ECDSA P-256 key and a self-signed certificate (as browsers
 * make them), with the SHA-256 fingerprint that the answers' {@code a=fingerprint} carry. Immutable;
 * one per {@link WireViewers}.
 */
final class SelfCertificate {
    private final byte[] der;
    private final AsymmetricKeyParameter privateKey;
    private final String fingerprint;

    SelfCertificate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair keys = g.generateKeyPair();
            X500Name name = new X500Name("CN=packetstream-load-viewer");
            long now = System.currentTimeMillis();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                    new Date(now - 86_400_000L), new Date(now + 30L * 86_400_000L), name, keys.getPublic());
            this.der = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded();
            this.privateKey = PrivateKeyFactory.createKey(keys.getPrivate().getEncoded());
            this.fingerprint = fingerprintOf(der);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("could not make the load viewers' self-signed ECDSA certificate", e);
        }
    }

    /** The DER encoding of the certificate. */
    byte[] der() {
        return der.clone();
    }

    AsymmetricKeyParameter privateKey() {
        return privateKey;
    }

    /** {@code AB:CD:...}: the SDP form of the certificate's SHA-256. */
    String fingerprint() {
        return fingerprint;
    }

    /** The SDP form ({@code AB:CD:...}, upper case) of the SHA-256 of {@code der}. */
    static String fingerprintOf(byte[] der) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(der);
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(h);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** Whether two SDP fingerprints name the same digest (case and spacing aside). */
    static boolean sameFingerprint(String a, String b) {
        return a.trim().toUpperCase(Locale.ROOT).equals(b.trim().toUpperCase(Locale.ROOT));
    }
}
