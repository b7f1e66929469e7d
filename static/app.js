// SPDX-License-Identifier: AGPL-3.0-or-later
// Progressive enhancement only: every page works without this file.
// Filters apply on their button only: submitting on a select's change reloads the page at
// every arrow key in a closed select and loses focus (WCAG 3.2.2).
// A table or chart wider than its box scrolls sideways: where it does, its box takes
// keyboard focus (the arrow keys scroll it) and a name, so it is not a trap nor a mystery.
function scrollables() {
  for (const box of document.querySelectorAll('.table-scroll, .lc-chart-wrap, figure.lc-figure')) {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (box.dataset.lcStatic) continue;
    if (!scrolls) {
      if (box.dataset.lcScroll) { box.removeAttribute('tabindex'); box.removeAttribute('role'); box.removeAttribute('aria-label'); delete box.dataset.lcScroll; }
      continue;
    }
    if (box.dataset.lcScroll) continue;
    const named = box.querySelector('caption, figcaption, svg > title');
    const heading = box.closest('section')?.querySelector('h2, h3');
    const name = (named || heading)?.textContent.trim();
    box.dataset.lcScroll = '1';
    box.tabIndex = 0;
    // A group, not a region: its name is often its section's, and landmarks must differ.
    if (!box.getAttribute('role') && box.tagName !== 'FIGURE') box.setAttribute('role', 'group');
    if (name && !box.hasAttribute('aria-label') && !box.hasAttribute('aria-labelledby')) box.setAttribute('aria-label', name);
  }
}
document.addEventListener('DOMContentLoaded', () => {
  scrollables();
  let t;
  window.addEventListener('resize', () => { clearTimeout(t); t = setTimeout(scrollables, 150); });
});
// Live word counts under texts with a limit (applications, progress reports): a textarea
// (or a one-line input) with data-max-words and, below it, #ID-count holding a .words number. The server counts again.
document.addEventListener('DOMContentLoaded', () => {
  for (const ta of document.querySelectorAll('textarea[data-max-words], input[data-max-words]')) {
    const max = Number(ta.dataset.maxWords);
    const out = document.getElementById(`${ta.id}-count`);
    const shown = out && out.querySelector('.words');
    if (!max || !shown) continue;
    const update = () => {
      const n = (ta.value.match(/\S+/g) || []).length;
      shown.textContent = String(n);
      out.classList.toggle('over', n > max);
      shown.classList.toggle('over', n > max);
    };
    ta.addEventListener('input', update);
    update();
  }
});
// Autosave of a draft (progress reports): a form with data-autosave posts itself as "save"
// a few seconds after the last change, as its Save button would, and says in its
// .autosave-status when it was saved, or that it was not (the Save button shows why).
document.addEventListener('DOMContentLoaded', () => {
  for (const form of document.querySelectorAll('form[data-autosave]')) {
    const status = form.querySelector('.autosave-status');
    let timer, busy = false, again = false;
    const save = async () => {
      if (busy) { again = true; return; }
      busy = true;
      const body = new URLSearchParams(new FormData(form));
      body.set('action', 'save');
      body.delete('confirm');
      try {
        const res = await fetch(form.getAttribute('action'), { method: 'POST', body, credentials: 'same-origin' });
        const at = new Date().toLocaleTimeString(document.documentElement.lang || undefined, { hour: '2-digit', minute: '2-digit' });
        if (status) status.textContent = res.ok ? `${form.dataset.savedText} ${at}` : form.dataset.failedText;
      } catch {
        if (status) status.textContent = form.dataset.failedText;
      }
      busy = false;
      if (again) { again = false; save(); }
    };
    form.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(save, 4000); });
  }
});
