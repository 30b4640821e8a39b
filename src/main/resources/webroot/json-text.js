// JSON shown as it was recorded: indented by its text, never parsed and written again, since the server keeps
// numbers exactly as sent (12345678901234567890 or 1e400), which JavaScript numbers cannot hold.

const SPACE = /[ \t\n\r]/;

/** The index just past the string that starts at text[i] (a '"'). */
function stringEnd(text, i) {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === '"') return j + 1;
  }
  return text.length;
}

function skipSpace(text, i) {
  while (i < text.length && SPACE.test(text[i])) i++;
  return i;
}

/** Valid JSON text indented by two spaces a level, as JSON.stringify(v, null, 2) lays it out, every token kept. */
export function indent(text) {
  let out = '';
  let depth = 0;
  const line = () => '\n' + '  '.repeat(depth);
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end - 1;
    } else if (c === '{' || c === '[') {
      const next = skipSpace(text, i + 1);
      if (text[next] === (c === '{' ? '}' : ']')) {
        out += c + text[next];
        i = next;
      } else {
        depth++;
        out += c + line();
      }
    } else if (c === '}' || c === ']') {
      depth--;
      out += line() + c;
    } else if (c === ',') {
      out += ',' + line();
    } else if (c === ':') {
      out += ': ';
    } else if (!SPACE.test(c)) {
      out += c;
    }
  }
  return out;
}

/** The text of the member `name` of the JSON object `text`, or null when it has none. */
export function memberText(text, name) {
  let depth = 0;
  let key = true;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      if (depth === 1 && key && JSON.parse(text.slice(i, end)) === name) start = skipSpace(text, end) + 1;
      key = false;
      i = end - 1;
    } else if (depth === 1 && (c === ',' || c === '}') && start >= 0) {
      return text.slice(start, i).trim();
    } else if (c === '{' || c === '[') {
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
    } else if (c === ',' && depth === 1) {
      key = true;
    }
  }
  return null;
}
