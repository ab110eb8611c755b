// Where a command gets the passphrase of a signing identity: --passphrase-file, else the
// environment variable OWNERSCOPE_PASSPHRASE, else asked on the terminal (not echoed). Never from
// an argument: it would show in the process list and the shell history.
import { existsSync } from 'node:fs';
import { readPassphraseFile } from '../identity';
import { UsageError, type CliIo } from './io';

export const PASSPHRASE_ENV = 'OWNERSCOPE_PASSPHRASE';

export async function passphraseOf(file: string | undefined, io: CliIo, options: { confirm?: boolean; usage: string }): Promise<string> {
  if (file !== undefined) {
    if (!existsSync(file)) throw new Error(`${file}: no such passphrase file`);
    return readPassphraseFile(file);
  }
  const env = io.env[PASSPHRASE_ENV];
  if (env !== undefined && env !== '') return env;
  if (!io.askSecret) throw new UsageError(`no passphrase: give --passphrase-file FILE or set ${PASSPHRASE_ENV} (no terminal to ask on)\nusage: ${options.usage}`);
  const first = await io.askSecret('Passphrase: ');
  if (!first) throw new UsageError('no passphrase entered');
  if (options.confirm) {
    const again = await io.askSecret('Repeat the passphrase: ');
    if (again !== first) throw new UsageError('the two passphrases differ');
  }
  return first;
}
