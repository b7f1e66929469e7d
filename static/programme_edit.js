// SPDX-License-Identifier: AGPL-3.0-or-later
// The programme editor's grid (/conferences/{slug}/programme/edit): drag a
// session's card to another room or time and drop it there. The drop fills
// the card's own form (day, start, room) and submits it, so the move goes
// through the same route, CSRF token and checks as the form without
// JavaScript; the forms stay the keyboard's way to move a session.
(() => {
  const grid = document.getElementById('prog-grid');
  if (!grid) return;
  for (const card of grid.querySelectorAll('[data-session]')) {
    card.draggable = true;
    card.addEventListener('dragstart', (ev) => {
      ev.dataTransfer.setData('text/plain', card.dataset.session);
      ev.dataTransfer.effectAllowed = 'move';
      card.classList.add('dragging');
    });
    card.addEventListener('dragend', () => card.classList.remove('dragging'));
  }
  for (const cell of grid.querySelectorAll('td.slot')) {
    cell.addEventListener('dragover', (ev) => {
      ev.preventDefault();
      ev.dataTransfer.dropEffect = 'move';
      cell.classList.add('drop');
    });
    cell.addEventListener('dragleave', () => cell.classList.remove('drop'));
    cell.addEventListener('drop', (ev) => {
      ev.preventDefault();
      cell.classList.remove('drop');
      const id = ev.dataTransfer.getData('text/plain');
      const form = /^\d+$/.test(id) ? document.getElementById(`f${id}`) : null;
      if (!form) return;
      form.elements.day.value = cell.dataset.day;
      form.elements.time.value = cell.dataset.time;
      form.elements.room.value = cell.dataset.room;
      form.requestSubmit();
    });
  }
})();
