// The library's own tables, so `run --help` and the option checks can never drift from what the scenarios read.
import { envHelpLines as libraryEnvHelpLines, envOptions, PROFILE_NAMES } from '../lib/env-options.ts';

export function envHelpLines(): string[] {
  return libraryEnvHelpLines();
}

export function envOptionNames(): string[] {
  return envOptions().map((option) => option.name);
}

export function knownProfiles(): string[] {
  return [...PROFILE_NAMES];
}
