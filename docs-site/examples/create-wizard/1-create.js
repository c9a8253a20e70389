import 'patkit/create-wizard';
import { demoProvider } from '../../demo/provider.js';

const provider = demoProvider();
const wizard = document.querySelector('#wizard');
wizard.provider = provider;
wizard.currentUser = provider.me;
wizard.addEventListener('pat-token-saved', (event) => {
  document.querySelector('#wizard-result').textContent = `Created “${event.detail.token.name}”.`;
});
