// A seat's briefing as the server writes it (game/briefing.h: Markdown
// headings, lists, **bold** and `code`), shown as headings, paragraphs and
// lists. Built from text nodes only: nothing in it is ever read as HTML.
import type { ComponentChildren } from 'preact';

type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'para'; text: string }
  | { kind: 'list'; items: { text: string; sub: boolean }[] };

interface Section {
  title: string;
  blocks: Block[];
}

function sections(text: string): Section[] {
  const out: Section[] = [{ title: '', blocks: [] }];
  let para: string[] = [];
  const flush = () => {
    if (para.length) out[out.length - 1].blocks.push({ kind: 'para', text: para.join(' ') });
    para = [];
  };
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    const item = /^(\s*)- (.*)$/.exec(line);
    if (line.startsWith('# ')) {
      flush();
    } else if (line.startsWith('## ')) {
      flush();
      out.push({ title: line.slice(3), blocks: [] });
    } else if (item) {
      flush();
      const blocks = out[out.length - 1].blocks;
      const last = blocks[blocks.length - 1];
      const entry = { text: item[2], sub: item[1].length > 0 };
      if (last?.kind === 'list') last.items.push(entry);
      else blocks.push({ kind: 'list', items: [entry] });
    } else if (line === '') {
      flush();
    } else {
      para.push(line.trim());
    }
  }
  flush();
  return out;
}

// **bold** and `code` inside a line.
function inline(text: string): ComponentChildren[] {
  return text.split(/(\*\*[^*]+\*\*|`[^`]+`)/).map((part, i) => {
    if (part.startsWith('**') && part.endsWith('**') && part.length > 4) return <strong key={i}>{part.slice(2, -2)}</strong>;
    if (part.startsWith('`') && part.endsWith('`') && part.length > 2) return <code key={i}>{part.slice(1, -1)}</code>;
    return part;
  });
}

// `omit`: sections left out by title (a handout shows the objectives on
// their own and leaves the actions to the seat page).
export function Briefing({ text, omit = [], testid }: { text: string; omit?: string[]; testid?: string }) {
  return (
    <div class="briefing" data-testid={testid}>
      {sections(text)
        .filter((s) => !omit.includes(s.title))
        .map((s, i) => (
          <section key={i}>
            {s.title && <h4>{s.title}</h4>}
            {s.blocks.map((b, j) =>
              b.kind === 'heading' ? (
                <h4 key={j}>{b.text}</h4>
              ) : b.kind === 'para' ? (
                <p key={j}>{inline(b.text)}</p>
              ) : (
                <ul key={j}>
                  {b.items.map((it, k) => (
                    <li key={k} class={it.sub ? 'sub' : undefined}>
                      {inline(it.text)}
                    </li>
                  ))}
                </ul>
              ),
            )}
          </section>
        ))}
    </div>
  );
}
