package dev.packetstream.samples.wire;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * One viewer's DTLS-SRTP handshake as the DTLS client (RFC 5763/5764, {@code a=setup:active}),
 * with BouncyCastle: DTLS 1.2, use_srtp offering SRTP_AES128_CM_HMAC_SHA1_80, our self-signed
 * certificate as client credentials, the server's certificate checked against the offer's
 * {@code a=fingerprint}. BouncyCastle's DTLS blocks on {@link DatagramTransport#receive}: the
 * handshake runs on a thread of its own (see {@link #run}) and reads the DTLS records that the
 * receive thread {@link #offer}s. Afterwards the keys come from the exporter "EXTRACTOR-dtls_srtp".
 */
final class DtlsSrtpHandshake {
    private static final int MTU = 1200;

    /** What the receive thread does with a datagram: send it to the relay. */
    interface Sender {
        void send(byte[] datagram, int offset, int length) throws IOException;
    }

    /** The SRTP master keys and salts of both directions (RFC 5764 4.2). */
    record SrtpKeys(byte[] clientKey, byte[] serverKey, byte[] clientSalt, byte[] serverSalt) {
        static SrtpKeys split(byte[] m) {
            return new SrtpKeys(Arrays.copyOfRange(m, 0, 16), Arrays.copyOfRange(m, 16, 32), Arrays.copyOfRange(m, 32, 46),
                    Arrays.copyOfRange(m, 46, 60));
        }
    }

    private final BlockingQueue<byte[]> incoming = new LinkedBlockingQueue<>();
    private final SelfCertificate identity;
    private final String expectedFingerprint;
    private final Sender sender;
    private final String name;
    private volatile boolean closed;

    DtlsSrtpHandshake(String name, SelfCertificate identity, String expectedFingerprint, Sender sender) {
        this.name = name;
        this.identity = identity;
        this.expectedFingerprint = expectedFingerprint;
        this.sender = sender;
    }

    /** A DTLS datagram from the relay (called by the receive thread; the bytes are copied). */
    void offer(byte[] datagram, int offset, int length) {
        incoming.add(Arrays.copyOfRange(datagram, offset, offset + length));
    }

    /** Makes a waiting handshake give up soon. */
    void cancel() {
        closed = true;
    }

    /** Runs the handshake on this thread; returns the SRTP keys. */
    SrtpKeys run(int timeoutMillis) throws IOException {
        BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
        Client client = new Client(crypto, timeoutMillis);
        // the DTLS transport is not used after the handshake: SRTP is read by the receive thread
        new DTLSClientProtocol().connect(client, new QueueTransport());
        if (client.keyingMaterial == null) {
            throw new IOException(name + ": DTLS handshake finished without SRTP keying material");
        }
        return SrtpKeys.split(client.keyingMaterial);
    }

    private final class QueueTransport implements DatagramTransport {
        @Override
        public int getReceiveLimit() {
            return 1500;
        }

        @Override
        public int getSendLimit() {
            return MTU;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            if (closed) {
                throw new IOException(name + ": viewer closed during its DTLS handshake");
            }
            try {
                byte[] d = incoming.poll(Math.min(waitMillis, 500), TimeUnit.MILLISECONDS);
                if (d == null) {
                    return -1;
                }
                int n = Math.min(len, d.length);
                System.arraycopy(d, 0, buf, off, n);
                return n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(name + ": interrupted during the DTLS handshake");
            }
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            sender.send(buf, off, len);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final class Client extends DefaultTlsClient {
        private final int timeoutMillis;
        volatile byte[] keyingMaterial;

        Client(BcTlsCrypto crypto, int timeoutMillis) {
            super(crypto);
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return timeoutMillis;
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Hashtable getClientExtensions() throws IOException {
            Hashtable ext = org.bouncycastle.tls.TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
            TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(new int[] {SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80},
                    TlsUtils.EMPTY_BYTES));
            return ext;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public void processServerExtensions(Hashtable serverExtensions) throws IOException {
            super.processServerExtensions(serverExtensions);
            UseSRTPData srtp = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
            if (srtp == null || srtp.getProtectionProfiles().length != 1
                    || srtp.getProtectionProfiles()[0] != SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80) {
                throw new TlsFatalAlert(AlertDescription.illegal_parameter);
            }
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate server) throws IOException {
                    Certificate chain = server.getCertificate();
                    if (chain == null || chain.isEmpty()) {
                        throw new TlsFatalAlert(AlertDescription.bad_certificate);
                    }
                    String got = SelfCertificate.fingerprintOf(chain.getCertificateAt(0).getEncoded());
                    if (!SelfCertificate.sameFingerprint(got, expectedFingerprint)) {
                        throw new TlsFatalAlert(AlertDescription.bad_certificate, name + ": the relay's DTLS certificate "
                                + got + " is not the offer's a=fingerprint " + expectedFingerprint);
                    }
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                    TlsCertificate cert = getCrypto().createCertificate(identity.der());
                    return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), (BcTlsCrypto) getCrypto(),
                            identity.privateKey(), new Certificate(new TlsCertificate[] {cert}),
                            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
                }
            };
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            keyingMaterial = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, 2 * (16 + 14));
        }
    }
}
