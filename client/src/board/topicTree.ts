import type { TopicDto } from '@exam/shared';

export interface TopicNode extends TopicDto {
  depth: number;
}

/** Topics in tree order (parents before children, siblings by code) with their depth. */
export function topicTree(topics: readonly TopicDto[]): TopicNode[] {
  const children = new Map<number | null, TopicDto[]>();
  const ids = new Set(topics.map((t) => t.id));
  for (const t of topics) {
    const parent = t.parentId !== null && ids.has(t.parentId) ? t.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(t);
    children.set(parent, list);
  }
  for (const list of children.values()) list.sort((a, b) => a.code.localeCompare(b.code, 'vi', { numeric: true }));
  const out: TopicNode[] = [];
  const seen = new Set<number>();
  const walk = (parent: number | null, depth: number) => {
    for (const t of children.get(parent) ?? []) {
      if (seen.has(t.id)) continue;
      seen.add(t.id);
      out.push({ ...t, depth });
      walk(t.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** Label for a <select> option: indented with non-breaking spaces so the tree shows. */
export function indentedLabel(t: TopicNode): string {
  return `${'\u00a0\u00a0\u00a0\u00a0'.repeat(t.depth)}${t.depth > 0 ? '└ ' : ''}${t.code} — ${t.name}`;
}
