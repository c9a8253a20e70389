import 'patkit/token-requests';
import { requestsProvider } from '../../demo/provider.js';

const requests = document.querySelector('#requests');
requests.provider = requestsProvider();
const say = (verb) => (event) => {
  document.querySelector('#requests-decision').textContent = `${verb} ${event.detail.token.name}`;
};
requests.addEventListener('pat-request-approved', say('approved'));
requests.addEventListener('pat-request-denied', say('denied'));
