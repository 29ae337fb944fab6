// The ring: a WebAudio tone (no file to download), played only once the page has had a user gesture, as
// browsers refuse sound before that anyway.

let gestured = false;
if (typeof window !== "undefined") {
  const mark = () => {
    gestured = true;
  };
  window.addEventListener("pointerdown", mark, { once: true, capture: true });
  window.addEventListener("keydown", mark, { once: true, capture: true });
}

function hadGesture(): boolean {
  const activation = (navigator as Navigator & { userActivation?: { hasBeenActive: boolean } })
    .userActivation;
  return gestured || activation?.hasBeenActive === true;
}

/** Rings (two short 440/480 Hz bursts every 3 s, like a phone line) until the returned stop is called. */
export function startRinging(): () => void {
  if (typeof window === "undefined" || !hadGesture()) return () => undefined;
  const Ctx =
    window.AudioContext ??
    (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctx) return () => undefined;
  let ctx: AudioContext;
  try {
    ctx = new Ctx();
  } catch {
    return () => undefined;
  }
  const burst = (at: number) => {
    const gain = ctx.createGain();
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(0.12, at + 0.05);
    gain.gain.setValueAtTime(0.12, at + 0.4);
    gain.gain.linearRampToValueAtTime(0, at + 0.45);
    gain.connect(ctx.destination);
    for (const freq of [440, 480]) {
      const osc = ctx.createOscillator();
      osc.frequency.value = freq;
      osc.connect(gain);
      osc.start(at);
      osc.stop(at + 0.5);
    }
  };
  const ring = () => {
    const now = ctx.currentTime;
    burst(now);
    burst(now + 0.6);
  };
  ring();
  const timer = window.setInterval(ring, 3000);
  return () => {
    window.clearInterval(timer);
    void ctx.close().catch(() => undefined);
  };
}
