// SPDX-License-Identifier: AGPL-3.0-or-later
// Progressive enhancement of a job's page (/admin/jobs/{id}): polls
// /api/v1/jobs/{id} every second and moves the progress bar; once the job
// has ended, reloads the page, which then shows the outcome and its links.
// Without this file the page refreshes itself (a <noscript> meta refresh).
(() => {
  const box = document.getElementById('job');
  if (!box) return;
  const id = box.dataset.job;
  const bar = document.getElementById('job-progress');
  const count = document.getElementById('job-count');
  const msg = document.getElementById('job-message');
  const running = (s) => s === 'queued' || s === 'running';
  if (!running(box.dataset.state)) return;
  const tick = async () => {
    try {
      const res = await fetch(`/api/v1/jobs/${encodeURIComponent(id)}`, {
        headers: { Accept: 'application/json' },
        credentials: 'same-origin',
        cache: 'no-store',
      });
      if (!res.ok) throw new Error(String(res.status));
      const job = await res.json();
      if (!running(job.state)) {
        window.location.reload();
        return;
      }
      if (job.state !== box.dataset.state) {
        // queued -> running: the page carries the word for it (data-running).
        const badge = document.getElementById('job-state');
        box.dataset.state = job.state;
        badge.className = `badge state-${job.state}`;
        if (job.state === 'running' && badge.dataset.running) badge.textContent = badge.dataset.running;
      }
      if (job.total > 0) {
        bar.max = job.total;
        bar.value = job.done;
      }
      count.textContent = `${job.done} / ${job.total}`;
      if (job.message) msg.textContent = job.message;
    } catch (e) {
      // A failed poll: let the page itself show what happened.
      window.location.reload();
      return;
    }
    setTimeout(tick, 1000);
  };
  setTimeout(tick, 1000);
})();
