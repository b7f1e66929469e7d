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
