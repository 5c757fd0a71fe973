// Interview mode's autosave, mounted by interviewkit/ui/interview_view.py (st.components.v2).
// Commits a watched text area once typing pauses, the way a user would (Ctrl+Enter),
// and at once when the page is hidden or unloaded; never inside an IME composition, and
// not while the connection is down (Streamlit disables the area): it retries until back.
export default function (component) {
  const { delay, prefix } = component.data;
  window.__interviewkitAutosave?.();  // one set of listeners per page, however often mounted
  const timers = new Map();
  let composing = false;
  const watched = (el) => el instanceof HTMLTextAreaElement &&
    el.closest(`[class*="st-key-${prefix}"]`);
  const commit = (area) => {  // Streamlit's own commit gesture: Ctrl+Enter keeps the cursor
    if (composing || area.disabled) { schedule(area); return; }  // offline: try again
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
  const onInput = (e) => { if (watched(e.target)) schedule(e.target); };
  const onStart = () => { composing = true; };
  const onEnd = (e) => { composing = false; if (watched(e.target)) schedule(e.target); };
  const onHide = () => { if (document.visibilityState === "hidden") flush(); };
  document.addEventListener("input", onInput, true);
  document.addEventListener("compositionstart", onStart, true);
  document.addEventListener("compositionend", onEnd, true);
  document.addEventListener("visibilitychange", onHide);
  window.addEventListener("pagehide", flush);
  window.addEventListener("beforeunload", flush);
  const cleanup = () => {
    if (window.__interviewkitAutosave === cleanup) window.__interviewkitAutosave = undefined;
    flush();
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
