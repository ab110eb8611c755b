// First step of `npm test`: the tools the tests run for real (a Chromium-family browser for the
// end-to-end tests, pdfsig/pdftotext/pdffonts from poppler-utils and qpdf for the report tests,
// python3 with networkx to read exported GraphML). On Debian or Ubuntu as root the missing ones
// are installed with apt-get; anywhere else the run stops at once, before any test, with the one
// command that installs them.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { findBrowser } from './find-browser.mjs';

const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
// a browser variable naming no executable is the user's typo: say so rather than install another
function browserFound() {
  try {
    return findBrowser() !== null;
  } catch (e) {
    console.error(`npm test: ${e.message}. No test was run.`);
    process.exit(1);
  }
}
const hasNetworkx = () => spawnSync('python3', ['-c', 'import networkx'], { stdio: 'ignore' }).status === 0;

// each tool with its package's name for apt (Debian, Ubuntu), dnf (Fedora), pacman (Arch) and
// macOS (brew formula, brew cask or pip)
const TOOLS = [
  { what: 'a Chromium-family browser (Chromium, Chrome or Edge)', ok: () => browserFound(), deb: 'chromium', dnf: 'chromium', pacman: 'chromium', mac: 'brew install --cask chromium' },
  { what: 'pdfsig, pdftotext, pdffonts, pdfdetach (poppler-utils)', ok: () => ['pdfsig', 'pdftotext', 'pdffonts', 'pdfdetach'].every(onPath), deb: 'poppler-utils', dnf: 'poppler-utils', pacman: 'poppler', mac: 'brew install poppler' },
  { what: 'qpdf', ok: () => onPath('qpdf'), deb: 'qpdf', dnf: 'qpdf', pacman: 'qpdf', mac: 'brew install qpdf' },
  { what: 'python3 with networkx', ok: () => onPath('python3') && hasNetworkx(), deb: 'python3-networkx', dnf: 'python3-networkx', pacman: 'python-networkx', mac: 'python3 -m pip install networkx' },
];

function osRelease() {
  try {
    return readFileSync('/etc/os-release', 'utf8');
  } catch {
    return '';
  }
}

function installCommand(missing) {
  const pkgs = (key) => missing.map((t) => t[key]).join(' ');
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  if (process.platform === 'darwin') return missing.map((t) => t.mac).join(' && ');
  if (existsSync('/etc/debian_version') || onPath('apt-get')) return `${sudo}apt-get install -y --no-install-recommends ${pkgs('deb')}`;
  if (onPath('dnf')) return `${sudo}dnf install -y ${pkgs('dnf')}`;
  if (onPath('pacman')) return `${sudo}pacman -S --needed ${pkgs('pacman')}`;
  return null;
}

const missing = TOOLS.filter((t) => !t.ok());
if (missing.length === 0) process.exit(0);

const debian = existsSync('/etc/debian_version') || /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(osRelease());
if (debian && process.getuid?.() === 0 && onPath('apt-get')) {
  const pkgs = missing.map((t) => t.deb);
  console.log(`test set-up: installing ${pkgs.join(', ')} with apt-get (missing: ${missing.map((t) => t.what).join('; ')})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const step = (args) => spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env }).status === 0;
  if (!step(['update', '-qq']) || !step(['install', '-y', '-qq', '--no-install-recommends', ...pkgs])) {
    console.error(`test set-up: apt-get install ${pkgs.join(' ')} failed`);
    process.exit(1);
  }
  const still = TOOLS.filter((t) => !t.ok());
  if (still.length === 0) process.exit(0);
  console.error(`test set-up: still missing after apt-get: ${still.map((t) => t.what).join('; ')}`);
  process.exit(1);
}

const cmd = installCommand(missing);
console.error(`npm test: missing ${missing.map((t) => t.what).join('; ')}. No test was run.`);
console.error(cmd ? `Install them with:\n\n  ${cmd}\n` : 'Install them with your system\'s package manager, then run npm test again.');
process.exit(1);
