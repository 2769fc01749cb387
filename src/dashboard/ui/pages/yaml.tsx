/** Any shown object as YAML (Tasks, Pipelines, Triggers kinds). */
import { Yaml } from '../components/run-header.js';
import { href } from '../router.js';

export function YamlPage({ kind, namespace, name }: { kind: string; namespace: string; name: string }) {
  return (
    <article>
      <p class="crumbs"><a href={href([`${kind.toLowerCase()}s`])}>{kind}s</a>{namespace !== '-' ? ` / ${namespace}` : ''}</p>
      <h1>{name}</h1>
      <Yaml kind={kind} namespace={namespace} name={name} />
    </article>
  );
}
