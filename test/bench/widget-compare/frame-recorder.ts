/**
 * What the visitor sees, frame by frame, observed from outside the widget: a script installed in
 * the page before any other runs. It hooks `attachShadow` so it sees inside every shadow root
 * (open or closed), marks the page dirty on any DOM mutation (MutationObserver), and on each
 * animation frame notes the hits that are visible (`checkVisibility`) and a fingerprint of their
 * text. Input events give the keystroke times and the text typed so far. Nothing here knows any
 * contender's internals: each is described by the CSS selector of one hit.
 *
 * Plain JavaScript in a string: it runs in the page as written (no transpiler helpers).
 */

export interface RecordedFrame {
  /** requestAnimationFrame time, ms: the DOM seen here is the DOM this frame paints. */
  t: number;
  /** Hits visible in this frame. */
  hits: number;
  /** Index into `fingerprints`: the text of the visible hits. */
  print: number;
}

export interface Recording {
  frames: RecordedFrame[];
  /** [time, value of the input after this keystroke]. */
  inputs: Array<[number, string]>;
  fingerprints: string[];
}

export const frameRecorder = (hitSelector: string): string => `(() => {
  const hitSelector = ${JSON.stringify(hitSelector)};
  const roots = [document];
  const state = {
    recording: false,
    dirty: true,
    lastMutationAt: 0,
    lastInputAt: 0,
    frames: [],
    inputs: [],
    fingerprints: [''],
    ids: new Map([['', 0]]),
    current: { hits: 0, print: 0 },
  };
  window.__widgetBench = state;
  const observer = new MutationObserver(() => {
    state.dirty = true;
    state.lastMutationAt = performance.now();
  });
  const watch = (root) =>
    observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
  watch(document);
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attachShadow.call(this, init);
    roots.push(root);
    watch(root);
    return root;
  };
  const visibleHits = () =>
    roots
      .flatMap((root) => [...root.querySelectorAll(hitSelector)])
      .filter((hit) => {
        if (!hit.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
        const box = hit.getBoundingClientRect();
        return box.width > 0 && box.height > 0;
      });
  state.visibleHits = visibleHits;
  const fingerprint = (hits) => {
    const text = hits.map((hit) => hit.textContent.replace(/\\s+/g, ' ').trim()).join('\\n');
    let id = state.ids.get(text);
    if (id === undefined) {
      id = state.fingerprints.push(text) - 1;
      state.ids.set(text, id);
    }
    return id;
  };
  state.sample = () => {
    if (state.dirty) {
      const hits = visibleHits();
      state.current = { hits: hits.length, print: fingerprint(hits) };
      state.dirty = false;
    }
    return state.current;
  };
  const frame = () => {
    const t = performance.now();
    const seen = state.sample();
    if (state.recording) state.frames.push({ t, hits: seen.hits, print: seen.print });
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  document.addEventListener(
    'input',
    (event) => {
      const target = event.composedPath()[0];
      state.lastInputAt = performance.now();
      if (state.recording && target && typeof target.value === 'string') {
        state.inputs.push([state.lastInputAt, target.value]);
      }
    },
    true,
  );
  /** Hits the visitor can see without scrolling: inside their scrolling box and the window. */
  state.hitsInView = () =>
    visibleHits().filter((hit) => {
      const box = hit.getBoundingClientRect();
      if (box.top < 0 || box.bottom > innerHeight + 1 || box.left < 0 || box.right > innerWidth + 1) {
        return false;
      }
      for (let node = hit.parentElement ?? hit.getRootNode().host; node; ) {
        const style = getComputedStyle(node);
        if (/(auto|scroll|hidden)/.test(style.overflowY) && node.scrollHeight > node.clientHeight) {
          const frame = node.getBoundingClientRect();
          if (box.top < frame.top - 1 || box.bottom > frame.bottom + 1) return false;
        }
        node = node.parentElement ?? node.getRootNode().host;
      }
      return true;
    }).length;
})();`;
