// PacketStream signaling: the browser side of PROTOCOL.md. Plain ES module, no build step.
//
//   SignalingConnection  joins a room over WebSocket, pings, reconnects with back-off
//   PeerLink             one RTCPeerConnection to one remote peer, with candidate buffering
//   collectStats         resolution, frames/s, bitrate, round-trip time from getStats
//   drawBoxes            draws application event boxes over a video
//
// Negotiation rule: a publisher offers to every non-publisher peer it learns of (in `joined` and
// `peer-joined`); everyone else answers. So a viewer page receives offers, whether the publisher
// is this project's publisher page or a Java peer.

/** Query-string parameters: room, role, token, and any page-specific ones. */
export function pageParams(defaults = {}) {
  const q = new URLSearchParams(location.search);
  const out = { ...defaults };
  for (const [k, v] of q.entries()) out[k] = v;
  return out;
}

/** The server's WebSocket URL, derived from the page's own origin (same server). */
export function defaultWebSocketUrl() {
  return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
}

/**
 * One signaling connection. Callbacks:
 *   onJoined({id, room, role, peers, limits})   also after each reconnection (new id)
 *   onMessage(msg)                              every other server message
 *   onState(state)                              'connecting' | 'joined' | 'reconnecting' | 'closed' | 'refused'
 */
export class SignalingConnection {
  constructor({ url = defaultWebSocketUrl(), room, role, token, onJoined = () => {}, onMessage = () => {},
                onState = () => {}, backoffInitialMs = 250, backoffMaxMs = 5000, pingMs = 15000 }) {
    if (!room || !role) throw new Error('SignalingConnection needs room and role (e.g. ?room=demo&role=viewer)');
    Object.assign(this, { url, room, role, token, onJoined, onMessage, onState, backoffInitialMs, backoffMaxMs, pingMs });
    this.selfId = null;
    this.state = 'new';
    this.reconnects = 0;
    this.attempt = 0;
    this.mid = 0;
    this.closed = false;
  }

  start() {
    this._connect();
    return this;
  }

  /** Sends a message; returns false (and drops it) when not joined. */
  send(message) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN || (this.state !== 'joined' && message.type !== 'join')) {
      console.warn('signaling: not joined, dropping', message.type);
      return false;
    }
    this.ws.send(JSON.stringify({ ...message, mid: String(++this.mid) }));
    return true;
  }

  close() {
    this.closed = true;
    clearInterval(this.pinger);
    clearTimeout(this.retry);
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.send({ type: 'leave' });
    if (this.ws) this.ws.close(1000, 'page closed');
    this._setState('closed');
  }

  _setState(state) {
    this.state = state;
    this.onState(state);
  }

  _connect() {
    if (this.closed) return;
    this._setState(this.reconnects === 0 && this.attempt === 0 ? 'connecting' : 'reconnecting');
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      const join = { type: 'join', room: this.room, role: this.role };
      if (this.token) join.token = this.token;
      ws.send(JSON.stringify({ ...join, mid: String(++this.mid) }));
    };
    ws.onmessage = (e) => {
      let msg;
      try { msg = JSON.parse(e.data); } catch { return; }
      if (msg.type === 'joined') {
        if (this.selfId !== null) this.reconnects++;
        this.selfId = msg.id;
        this.attempt = 0;
        this._setState('joined');
        clearInterval(this.pinger);
        const every = Math.min(this.pingMs, Math.max(1000, (msg.limits?.idleTimeoutMs ?? 60000) / 3));
        this.pinger = setInterval(() => this.send({ type: 'ping' }), every);
        this.onJoined(msg);
        return;
      }
      if (msg.type === 'error' && msg.ref === 'join') {
        console.error('signaling: join refused:', msg.code, msg.message);
        if (msg.code.startsWith('token-')) {
          this.closed = true;
          this._setState('refused');
        }
        this.onMessage(msg);
        ws.close(1000, 'join refused');
        return;
      }
      this.onMessage(msg);
    };
    ws.onclose = () => {
      clearInterval(this.pinger);
      if (this.ws !== ws || this.closed) return;
      this.attempt++;
      const base = Math.min(this.backoffMaxMs, this.backoffInitialMs * 2 ** Math.min(this.attempt - 1, 10));
      const delay = base + Math.random() * base * 0.2;
      this._setState('reconnecting');
      this.retry = setTimeout(() => this._connect(), delay);
    };
  }
}

/**
 * One RTCPeerConnection to one remote peer. Candidates that arrive before the remote description
 * are buffered. `localStream` tracks are sent; with `receive` set, recvonly transceivers are added
 * when there is nothing to send (a viewer that offers).
 */
export class PeerLink {
  constructor(signaling, remoteId, { localStream = null, onTrack = () => {}, onState = () => {} } = {}) {
    this.signaling = signaling;
    this.remoteId = remoteId;
    this.pendingCandidates = [];
    this.pc = new RTCPeerConnection({ iceServers: [] });
    if (localStream) {
      for (const track of localStream.getTracks()) this.pc.addTrack(track, localStream);
    }
    this.pc.onicecandidate = (e) => {
      const c = e.candidate
        ? { candidate: e.candidate.candidate, sdpMid: e.candidate.sdpMid, sdpMLineIndex: e.candidate.sdpMLineIndex }
        : { candidate: '', sdpMid: null, sdpMLineIndex: null };
      signaling.send({ type: 'candidate', to: remoteId, candidate: c });
    };
    this.pc.ontrack = (e) => onTrack(e.streams[0] || new MediaStream([e.track]), e.track);
    this.pc.onconnectionstatechange = () => onState(this.pc.connectionState);
  }

  async offer() {
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    this.signaling.send({ type: 'offer', to: this.remoteId, sdp: this.pc.localDescription.sdp });
  }

  async acceptOffer(sdp) {
    await this.pc.setRemoteDescription({ type: 'offer', sdp });
    await this._flushCandidates();
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription(answer);
    this.signaling.send({ type: 'answer', to: this.remoteId, sdp: this.pc.localDescription.sdp });
  }

  async acceptAnswer(sdp) {
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
    await this._flushCandidates();
  }

  async addCandidate(c) {
    if (!this.pc.remoteDescription) {
      this.pendingCandidates.push(c);
      return;
    }
    await this._addCandidate(c);
  }

  async _flushCandidates() {
    const pending = this.pendingCandidates;
    this.pendingCandidates = [];
    for (const c of pending) await this._addCandidate(c);
  }

  async _addCandidate(c) {
    try {
      if (c.candidate === '') await this.pc.addIceCandidate();
      else await this.pc.addIceCandidate(c);
    } catch (e) {
      console.warn('ignoring a candidate the browser refused', e);
    }
  }

  /** Closes the connection and tells the peer (bye); the peer may offer again later. */
  hangUp() {
    this.signaling.send({ type: 'bye', to: this.remoteId });
    this.close();
  }

  close() {
    this.pc.close();
  }
}

/**
 * Reads getStats once. `previous` is the last result (for rates). Returns
 * {framesDecoded, framesSent, width, height, fps, bitrateKbps, rttMs, audioPacketsReceived,
 *  audioPacketsSent, videoPacketsReceived, bytes, timestamp}.
 */
export async function collectStats(pc, previous = null) {
  const report = await pc.getStats();
  const s = { framesDecoded: 0, framesSent: 0, width: 0, height: 0, fps: 0, bitrateKbps: 0, rttMs: null,
              audioPacketsReceived: 0, audioPacketsSent: 0, videoPacketsReceived: 0, bytes: 0, timestamp: performance.now() };
  report.forEach((r) => {
    if (r.type === 'inbound-rtp' && r.kind === 'video') {
      s.framesDecoded += r.framesDecoded || 0;
      s.videoPacketsReceived += r.packetsReceived || 0;
      s.width = r.frameWidth || s.width;
      s.height = r.frameHeight || s.height;
      s.fps = r.framesPerSecond || s.fps;
      s.bytes += r.bytesReceived || 0;
    } else if (r.type === 'outbound-rtp' && r.kind === 'video') {
      s.framesSent += r.framesSent || 0;
      s.width = r.frameWidth || s.width;
      s.height = r.frameHeight || s.height;
      s.fps = r.framesPerSecond || s.fps;
      s.bytes += r.bytesSent || 0;
    } else if (r.type === 'inbound-rtp' && r.kind === 'audio') {
      s.audioPacketsReceived += r.packetsReceived || 0;
    } else if (r.type === 'outbound-rtp' && r.kind === 'audio') {
      s.audioPacketsSent += r.packetsSent || 0;
    } else if (r.type === 'candidate-pair' && (r.nominated || r.selected) && r.currentRoundTripTime !== undefined) {
      s.rttMs = Math.round(r.currentRoundTripTime * 1000);
    }
  });
  if (previous && s.timestamp > previous.timestamp && s.bytes >= previous.bytes) {
    s.bitrateKbps = Math.round(((s.bytes - previous.bytes) * 8) / (s.timestamp - previous.timestamp));
  }
  return s;
}

/** Formats stats for an overlay. */
export function formatStats(s) {
  return `${s.width}x${s.height} · ${Math.round(s.fps)} fps · ${s.bitrateKbps} kbit/s · RTT ${s.rttMs ?? '–'} ms`;
}

/**
 * Draws boxes {x, y, w, h} over a video on a canvas laid over it. Coordinates are in the video's
 * pixels (videoWidth x videoHeight), or fractions of its size when `normalized` is true.
 */
export function drawBoxes(canvas, video, boxes, normalized = false, labelOf = (b) => b.label) {
  const rect = video.getBoundingClientRect();
  canvas.width = rect.width;
  canvas.height = rect.height;
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const vw = video.videoWidth || 1;
  const vh = video.videoHeight || 1;
  // object-fit: contain
  const scale = Math.min(rect.width / vw, rect.height / vh);
  const ox = (rect.width - vw * scale) / 2;
  const oy = (rect.height - vh * scale) / 2;
  ctx.lineWidth = 2;
  ctx.strokeStyle = '#00e676';
  ctx.fillStyle = '#00e676';
  ctx.font = '12px sans-serif';
  for (const b of boxes || []) {
    const k = normalized ? [vw, vh] : [1, 1];
    const x = ox + b.x * k[0] * scale;
    const y = oy + b.y * k[1] * scale;
    ctx.strokeRect(x, y, b.w * k[0] * scale, b.h * k[1] * scale);
    const label = labelOf(b);
    if (label) ctx.fillText(label, x + 2, y - 3);
  }
}
