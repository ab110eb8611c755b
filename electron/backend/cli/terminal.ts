// Terminal input for processIo, kept apart from the commands so that loading it costs nothing.

/**
 * Reads one line from the terminal without echoing it (raw mode), for processIo. Ctrl-C aborts,
 * Ctrl-D / Enter ends the line, Backspace deletes.
 */
// what was typed after the line a question took (typed ahead): the next question reads it first
let typedAhead = '';

export function askSecretOnTerminal(prompt: string): Promise<string | null> {
  const stdin = process.stdin;
  return new Promise((resolve) => {
    let text = '';
    // echo off before the question shows: an answer typed (or pasted) the moment it appears
    // would otherwise reach a terminal that still echoes (CI saw the second answer echoed)
    stdin.setRawMode(true);
    process.stderr.write(prompt);
    stdin.setEncoding('utf8');
    let finished = false;
    const done = (value: string | null, rest: string) => {
      finished = true;
      typedAhead = rest;
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      resolve(value);
    };
    const onData = (chunk: string) => {
      const chars = [...chunk];
      for (let i = 0; i < chars.length; i++) {
        const ch = chars[i]!;
        if (ch === '\u0003') return done(null, '');
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          // a \r\n pair ends one line
          const next = ch === '\r' && chars[i + 1] === '\n' ? i + 2 : i + 1;
          return done(text, chars.slice(next).join(''));
        }
        if (ch === '\u007f' || ch === '\b') text = [...text].slice(0, -1).join('');
        else text += ch;
      }
    };
    const ahead = typedAhead;
    typedAhead = '';
    if (ahead) onData(ahead);
    if (finished) return;
    stdin.on('data', onData);
    stdin.resume();
  });
}
