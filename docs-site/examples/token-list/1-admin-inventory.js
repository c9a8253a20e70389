import 'patkit/token-list';
import { demoProvider } from '../../demo/provider.js';

const list = document.querySelector('#inventory');
list.provider = demoProvider();
list.addEventListener('pat-selection-change', (event) => {
  document.querySelector('#inventory-selection').textContent = event.detail.ids.join(', ') || 'none';
});
