// Terminal input for processIo, kept apart from the commands so that loading it costs nothing.

/**
 * Reads one line from the terminal without echoing it (raw mode), for processIo. Ctrl-C aborts,
 * Ctrl-D / Enter ends the line, Backspace deletes.
 */
export function askSecretOnTerminal(prompt: string): Promise<string | null> {
  const stdin = process.stdin;
  return new Promise((resolve) => {
    process.stderr.write(prompt);
    let text = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (value: string | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\u0003') return done(null);
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done(text);
        if (ch === '\u007f' || ch === '\b') text = [...text].slice(0, -1).join('');
        else text += ch;
      }
    };
    stdin.on('data', onData);
  });
}
