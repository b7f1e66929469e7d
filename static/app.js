// SPDX-License-Identifier: AGPL-3.0-or-later
// Progressive enhancement only: every page works without this file.
// Directory filters apply as soon as a select changes.
document.addEventListener('DOMContentLoaded', () => {
  for (const form of document.querySelectorAll('form[data-autosubmit]')) {
    for (const sel of form.querySelectorAll('select')) {
      sel.addEventListener('change', () => {
        const page = form.querySelector('input[name=page]');
        if (page) page.remove();
        form.requestSubmit();
      });
    }
  }
});
// Live word counts under texts with a limit (applications, progress reports): a textarea
// with data-max-words and, below it, #ID-count holding a .words number. The server counts again.
document.addEventListener('DOMContentLoaded', () => {
  for (const ta of document.querySelectorAll('textarea[data-max-words]')) {
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
