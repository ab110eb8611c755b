// The user's trust list of signer certificates: trust add, list, remove (docs/CLI.md).
import { addTrustedSigner, parseFingerprint, readTrustList, removeTrustedSigner, trustFile, userDataDir, type TrustedSigner } from '../../identity';
import { parse, printJson, table, UsageError, type Command } from '../io';

const usages = {
  add: 'ownerscope trust add CERT_SHA256 --name TEXT [--json]',
  list: 'ownerscope trust list [--json]',
  remove: 'ownerscope trust remove CERT_SHA256 [--json]',
};
const usage = Object.values(usages).join('\n       ');

/** A malformed fingerprint is a usage error (exit 2), like any malformed value. */
function fingerprintArg(value: string, u: string): string {
  try {
    return parseFingerprint(value);
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\nusage: ${u}`);
  }
}

const signerJson = (s: TrustedSigner) => ({ certSha256: s.certSha256, name: s.name, addedAt: s.addedAt, source: s.source });

export const trustCommand: Command = {
  name: 'trust',
  summary: 'Your trust list of signer certificates: verify names a report\'s signer only when its fingerprint is listed',
  usage,
  async run(args, io) {
    const [sub, ...rest] = args;
    const dataDir = userDataDir(io.env);
    const file = trustFile(dataDir);
    if (sub === 'add') {
      const { values, positionals } = parse(rest, { name: { type: 'string' }, json: { type: 'boolean' } }, usages.add);
      if (positionals.length !== 1) throw new UsageError(`exactly one CERT_SHA256 expected\nusage: ${usages.add}`);
      if (!values.name?.trim()) throw new UsageError(`--name TEXT is required: who is this certificate?\nusage: ${usages.add}`);
      const { signer: entry, isNew } = addTrustedSigner(dataDir, { certSha256: fingerprintArg(positionals[0]!, usages.add), name: values.name });
      if (values.json) printJson(io, { file, added: isNew, signer: signerJson(entry) });
      else io.stdout(`${isNew ? 'trusted' : 'renamed'}: ${entry.certSha256} ${entry.name}\n(trust list ${file})\n`);
      return 0;
    }
    if (sub === 'list') {
      const { values, positionals } = parse(rest, { json: { type: 'boolean' } }, usages.list);
      if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${usages.list}`);
      const signers = readTrustList(dataDir);
      if (values.json) printJson(io, { file, signers: signers.map(signerJson) });
      else if (!signers.length) io.stdout(`no trusted signers (trust list ${file})\n`);
      else io.stdout(table([['CERT_SHA256', 'ADDED', 'NAME'], ...signers.map((s) => [s.certSha256, s.addedAt.slice(0, 10), s.name + (s.source === 'own-identity' ? ' (your identity)' : '')])]) + `(trust list ${file})\n`);
      return 0;
    }
    if (sub === 'remove') {
      const { values, positionals } = parse(rest, { json: { type: 'boolean' } }, usages.remove);
      if (positionals.length !== 1) throw new UsageError(`exactly one CERT_SHA256 expected\nusage: ${usages.remove}`);
      const { wasListed } = removeTrustedSigner(dataDir, fingerprintArg(positionals[0]!, usages.remove));
      if (values.json) printJson(io, { file, removed: wasListed });
      if (!wasListed) {
        io.stderr(`ownerscope trust remove: ${positionals[0]} is not in your trust list (${file})\n`);
        return 1;
      }
      if (!values.json) io.stdout(`removed ${positionals[0]} from your trust list (${file})\n`);
      return 0;
    }
    throw new UsageError(`${sub ? `unknown trust command "${sub}"` : 'a trust command is required'}\nusage: ${usage}`);
  },
};
