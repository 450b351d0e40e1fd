// Cầu Nối on every page: registers the service worker (sw.js) that lets
// the offline capture open without a network, and on signing out sends
// what waits to be sent, warns of what could not be, and wipes what the
// capture kept on the phone. The login page forgets the cached clients.
import { countPending, wipeAll, wipeCache } from './field/store.js';

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
    // A browser that blocks service workers: pages still work online.
  });
}

const logout = document.querySelector('form.logout');
if (logout) {
  logout.addEventListener('submit', async (ev) => {
    if (logout.dataset.wiped) return;
    ev.preventDefault();
    try {
      let pending = await countPending();
      const user = document.getElementById('field')?.dataset.user || logout.dataset.user;
      if (pending && user && navigator.onLine) {
        const { sendOnce } = await import('./field/sync.js');
        await sendOnce(user);
        pending = await countPending();
      }
      if (pending && !confirm((logout.dataset.pending || '{n}').replace('{n}', pending))) return;
      await wipeAll();
    } catch {
      // Nothing kept, or no IndexedDB: sign out all the same.
    }
    logout.dataset.wiped = '1';
    logout.submit();
  });
}

if (document.querySelector('form[action="/login"]')) {
  wipeCache().catch(() => {});
}
