import 'patkit/scoped-token-form';
import { demoProvider } from '../../demo/provider.js';

const form = document.querySelector('#org-token');
form.provider = demoProvider();
form.owner = { kind: 'organization', id: 'o1', name: 'Acme' };
