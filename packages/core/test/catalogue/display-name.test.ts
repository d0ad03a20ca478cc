import test from 'ava';
import { displayName } from '../../src/index.js';

test('a product reads as brand then name, with the brand once when the name already starts with it', (t) => {
  t.is(displayName({ brand: 'MARS', name: 'Mars Bar 53g' }), 'Mars Bar 53g');
  t.is(displayName({ brand: 'BERG', name: 'Short Cut Bacon 1kg' }), 'BERG Short Cut Bacon 1kg');
  t.is(displayName({ brand: null, name: 'Bananas' }), 'Bananas');
  t.is(displayName({ brand: '  ', name: 'Bananas' }), 'Bananas');
  t.is(displayName({ brand: 'Lurpak', name: 'lurpak spreadable butter 250g' }), 'lurpak spreadable butter 250g');
});
