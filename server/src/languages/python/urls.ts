/**
 * Django's URL configuration (`urls.py`): the function views its `path()` / `re_path()` / `url()`
 * entries route to, as (module, name) pairs resolved through the file's imports — `views.post_list`
 * with `from blog import views` is `post_list` of `blog.views`. The workspace then treats those
 * functions as request handlers wherever they live, whatever their shape. Class-based views
 * (`.as_view()`) and viewsets are found by their shape already; `include()` is another urls file.
 */
import type { RouteFact } from '../facts';
import { moduleNames } from './imports';
import { field, nodesOfTypes, type Node } from './tree';

const ROUTE_FUNCTIONS = /^(?:(?:django\.urls|urls)\.)?(path|re_path|url)$/;

export function djangoRoutes(root: Node): RouteFact[] {
  const targets = moduleNames(root);
  const out: RouteFact[] = [];
  nodesOfTypes(root, ['call']).forEach((n) => {
    if (n.type !== 'call' || !ROUTE_FUNCTIONS.test(field(n, 'function')?.text ?? '')) return;
    const args = (field(n, 'arguments')?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== 'comment');
    const view = args[1]?.type === 'keyword_argument' ? undefined : args[1];
    if (!view || !/^[\w.]+$/.test(view.text)) return;
    const [head, ...rest] = view.text.split('.');
    const base = targets.get(head);
    if (!base) return;
    const qualified = [base, ...rest].join('.');
    const cut = qualified.lastIndexOf('.');
    if (cut <= 0 || /^\.+$/.test(qualified.slice(0, cut))) return;
    const route = args[0]?.type === 'string' ? args[0].text.replace(/^[rbuf]*["']|["']$/gi, '') : undefined;
    out.push({ module: qualified.slice(0, cut), name: qualified.slice(cut + 1), route });
  });
  return out;
}
