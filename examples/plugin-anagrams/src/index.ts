export { anagramNames, letterKey } from './anagram-names.js';
