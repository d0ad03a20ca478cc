export { keepPolicy } from './retention-policies.js';
