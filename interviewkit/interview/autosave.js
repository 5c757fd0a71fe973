// Interview mode's autosave, mounted by interviewkit/ui/interview_view.py (st.components.v2).
// Commits a watched text area once typing pauses, the way a user would (Ctrl+Enter),
// and at once when the page is hidden or unloaded; never inside an IME composition, and
// not while the connection is down (Streamlit disables the area): it retries until back.
//
// A commit sent as the page unloads can still die with the socket, so every keystroke
// is also kept as a draft in the tab's sessionStorage (it survives a reload, and goes
// when the tab is closed: candidate notes do not linger on a shared computer). When the
// page is back, a draft is put into its area again (and committed) only if the area
// shows a value this draft has been through (the text before the typing, or a value
// committed since; kept as hashes): then the database is merely behind. An area showing
// anything else was changed elsewhere, and its draft is dropped rather than overwrite it.
export default function (component) {
  const { delay, prefix } = component.data;
  window.__interviewkitAutosave?.();  // one set of listeners per page, however often mounted
  const STORE = "interviewkit.draft:";
  const MAX_AGE = 7 * 24 * 3600 * 1000, MAX_SEEN = 50;
  const hash = (text) => {  // cyrb53: a value's fingerprint, not the value
    let h1 = 0xdeadbeef, h2 = 0x41c6ce57;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
  };
  const timers = new Map();
  const checked = new WeakSet();
  let composing = false;
  const box = (el) => el instanceof HTMLTextAreaElement &&
    el.closest(`[class*="st-key-${prefix}"]`);
  const watched = (el) => Boolean(box(el));
  const keyOf = (area) => {
    const cls = [...box(area).classList].find((c) => c.startsWith(`st-key-${prefix}`));
    return STORE + cls;
  };
  const read = (area) => {
    try { return JSON.parse(sessionStorage.getItem(keyOf(area)) ?? "null"); }
    catch { return null; }  // storage disabled or a foreign value: no draft
  };
  const write = (area, draft) => {
    try { sessionStorage.setItem(keyOf(area), JSON.stringify({ ...draft, at: Date.now() })); }
    catch { /* quota or private mode: the commit path still saves */ }
  };
  const drop = (area) => { try { sessionStorage.removeItem(keyOf(area)); } catch { } };
  const remember = (draft, value) => {
    const h = hash(value);
    if (!draft.seen.includes(h)) draft.seen = [...draft.seen, h].slice(-MAX_SEEN);
    return draft;
  };
  const commit = (area) => {  // Streamlit's own commit gesture: Ctrl+Enter keeps the cursor
    if (composing || area.disabled) { schedule(area); return; }  // offline: try again
    const draft = read(area);
    if (draft) write(area, remember(draft, area.value));
    area.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter", code: "Enter",
      keyCode: 13, which: 13, ctrlKey: true, bubbles: true, cancelable: true}));
  };
  const schedule = (area) => {
    clearTimeout(timers.get(area));
    timers.set(area, setTimeout(() => { timers.delete(area); commit(area); }, delay));
  };
  const flush = () => {
    composing = false;
    for (const [area, timer] of timers) { clearTimeout(timer); commit(area); }
    timers.clear();
  };
  const setValue = (area, value) => {  // as if typed: React sees the change
    Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set
      .call(area, value);
    area.dispatchEvent(new Event("input", { bubbles: true }));
  };
  const restore = (area) => {
    if (checked.has(area) || !watched(area) || area.disabled) return;
    checked.add(area);
    const draft = read(area);
    if (!draft || !Array.isArray(draft.seen) || typeof draft.value !== "string") return;
    if (area.value === draft.value || Date.now() - draft.at > MAX_AGE ||
        !draft.seen.includes(hash(area.value))) { drop(area); return; }  // saved, old or stale
    setValue(area, draft.value);
  };
  let pending = 0;
  const scan = () => {  // at most once a frame, however many mutations a rerun makes
    if (pending) return;
    pending = requestAnimationFrame(() => {
      pending = 0;
      document.querySelectorAll(`[class*="st-key-${prefix}"] textarea`).forEach(restore);
    });
  };
  const onBefore = (e) => {  // the text before this edit is one the database may hold
    if (!watched(e.target)) return;
    const draft = read(e.target) ?? { seen: [], value: e.target.value };
    write(e.target, remember(draft, e.target.value));
  };
  const onInput = (e) => {
    if (!watched(e.target)) return;
    const draft = read(e.target) ?? { seen: [], value: "" };
    write(e.target, { ...draft, value: e.target.value });
    schedule(e.target);
  };
  const onStart = () => { composing = true; };
  const onEnd = (e) => { composing = false; if (watched(e.target)) onInput(e); };
  const onHide = () => { if (document.visibilityState === "hidden") flush(); };
  const observer = new MutationObserver(scan);
  observer.observe(document.body, { childList: true, subtree: true, attributes: true,
    attributeFilter: ["disabled"] });
  document.addEventListener("beforeinput", onBefore, true);
  document.addEventListener("input", onInput, true);
  document.addEventListener("compositionstart", onStart, true);
  document.addEventListener("compositionend", onEnd, true);
  document.addEventListener("visibilitychange", onHide);
  window.addEventListener("pagehide", flush);
  window.addEventListener("beforeunload", flush);
  scan();
  const cleanup = () => {
    if (window.__interviewkitAutosave === cleanup) window.__interviewkitAutosave = undefined;
    flush();
    observer.disconnect();
    cancelAnimationFrame(pending);
    document.removeEventListener("beforeinput", onBefore, true);
    document.removeEventListener("input", onInput, true);
    document.removeEventListener("compositionstart", onStart, true);
    document.removeEventListener("compositionend", onEnd, true);
    document.removeEventListener("visibilitychange", onHide);
    window.removeEventListener("pagehide", flush);
    window.removeEventListener("beforeunload", flush);
  };
  window.__interviewkitAutosave = cleanup;
  return cleanup;
}
