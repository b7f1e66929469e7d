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
// Application form: live word counts next to the limited texts (the server counts again).
document.addEventListener('DOMContentLoaded', () => {
  for (const out of document.querySelectorAll('.words[data-for]')) {
    const area = document.getElementById(out.dataset.for);
    if (!area) continue;
    const max = Number(area.dataset.maxWords || 0);
    const count = () => {
      const n = (area.value.match(/\S+/g) || []).length;
      out.textContent = String(n);
      out.classList.toggle('over', max > 0 && n > max);
    };
    area.addEventListener('input', count);
    count();
  }
});
