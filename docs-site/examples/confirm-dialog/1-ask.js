import 'patkit/confirm-dialog';

const dialog = document.querySelector('#confirm');
document.querySelector('#delete-token').addEventListener('click', async () => {
  const answer = await dialog.ask({
    title: 'Delete this token?',
    body: 'The token is deleted permanently.',
    confirmLabel: 'Delete',
    danger: true,
    password: true,
  });
  document.querySelector('#confirm-result').textContent = answer.confirmed ? 'Confirmed.' : 'Cancelled.';
});
