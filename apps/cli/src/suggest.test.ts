import { expect, it } from 'vitest';
import { suggest } from './suggest.js';

it('suggests close names and nothing for far ones', () => {
  const commands = ['run', 'validate', 'graph'];
  expect(suggest('rnu', commands)).toBe('run');
  expect(suggest('valdate', commands)).toBe('validate');
  expect(suggest('GRAPH', commands)).toBe('graph');
  expect(suggest('deploy', commands)).toBeUndefined();
  expect(suggest('x', ['db', 'run'])).toBeUndefined();
});
