import { PatRevealDialog } from 'patkit/reveal-dialog';
import { makeToken } from '../../demo/provider.js';

document.querySelector('#show-secret').addEventListener('click', async () => {
  // Resolves once the user has acknowledged the secret; the dialog then forgets it.
  await PatRevealDialog.reveal({
    token: makeToken({ name: 'release bot' }),
    secret: 'pat_Demo0nlyNotARealSecret0123456789abcd',
  });
});
