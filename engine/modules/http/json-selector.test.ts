import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalHeaderKey } from './canonical-header.ts';
import { selectJson } from './json-selector.ts';

const document = {
  name: { first: 'Tom', last: 'Anderson' },
  age: 37,
  children: ['Sara', 'Alex', 'Jack'],
  'fav.movie': 'Deer Hunter',
  friends: [
    { first: 'Dale', age: 44, nets: ['ig', 'fb'] },
    { first: 'Roger', age: 68 },
  ],
  empty: null,
};

test('a selector walks keys, indexes, lengths and collects over arrays', () => {
  assert.equal(selectJson(document, 'name.last'), 'Anderson');
  assert.equal(selectJson(document, 'age'), 37);
  assert.equal(selectJson(document, 'children.1'), 'Alex');
  assert.equal(selectJson(document, 'children.#'), 3);
  assert.deepEqual(selectJson(document, 'friends.#.first'), ['Dale', 'Roger']);
  assert.deepEqual(selectJson(document, 'friends.#.nets.0'), ['ig']);
  assert.equal(selectJson(document, 'friends.1.first'), 'Roger');
  assert.equal(selectJson(document, 'fav\\.movie'), 'Deer Hunter');
  assert.equal(selectJson(document, 'child*.2'), 'Jack');
  assert.equal(selectJson(document, 'c?ildren.0'), 'Sara');
  assert.equal(selectJson(document, 'empty'), null);
});

test('a selector that finds nothing gives undefined', () => {
  assert.equal(selectJson(document, 'name.middle'), undefined);
  assert.equal(selectJson(document, 'children.3'), undefined);
  assert.equal(selectJson(document, 'children.first'), undefined);
  assert.equal(selectJson(document, 'age.value'), undefined);
  assert.equal(selectJson(document, 'fav.movie'), undefined);
  assert.equal(selectJson(document, 'name.#'), undefined);
  assert.equal(selectJson(document, 'x*'), undefined);
});

test('header names are canonical as Go writes them; names Go cannot canonicalise are left alone', () => {
  assert.equal(canonicalHeaderKey('content-type'), 'Content-Type');
  assert.equal(canonicalHeaderKey('X-REQUEST-ID'), 'X-Request-Id');
  assert.equal(canonicalHeaderKey('www-authenticate'), 'Www-Authenticate');
  assert.equal(canonicalHeaderKey('bad header'), 'bad header');
});
