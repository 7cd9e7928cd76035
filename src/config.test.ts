import { expect, it } from 'vitest';
import { cliSwitches } from './config.ts';

it('CLI switches: BINKU_DEBUG (any value) and BINKU_PROGRESS=1', () => {
  expect(cliSwitches({})).toEqual({ debug: false, forceProgress: false });
  expect(cliSwitches({ BINKU_DEBUG: '1', BINKU_PROGRESS: '1' })).toEqual({ debug: true, forceProgress: true });
  expect(cliSwitches({ BINKU_DEBUG: '', BINKU_PROGRESS: 'yes' })).toEqual({ debug: false, forceProgress: false });
});
