import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  type SelectionSetNode,
} from 'graphql';

/** What a look at a parsed document tells us before validation (no schema needed). */
export interface DocumentMeasure {
  /**
   * Field selections in the document's operations, fragments expanded where they are spread (a
   * fragment spread 10 times counts its fields 10 times) and repeats counted: the executor merges
   * `viewer { id } viewer { id }`, but parsing, validation and pricing pay for each.
   */
  fields: number;
  /**
   * Pairs of same-named field selections the validator compares (graphql-js's
   * OverlappingFieldsCanBeMergedRule checks that every two selections of one response name in a
   * selection set can merge, subtrees included): quadratic in repeats and multiplied by each
   * level of repeated nesting, so 237 fields repeated three times on four levels cost 25 ms of
   * validation. Counted up to `maxComparisons + 1`, where counting stops.
   */
  comparisons: number;
}

/**
 * Measures a parsed document in time linear in its size plus `maxComparisons`: fragments are
 * counted once each and their counts reused (nested spreads that expand to billions of fields are
 * measured without expanding them), and the comparison count stops at its limit. Unknown and
 * cyclic fragments count 0 (validation refuses them).
 */
export function measureDocument(
  document: DocumentNode,
  options: { maxFields: number; maxComparisons: number },
): DocumentMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  const fields = countFields(document, fragments);
  if (fields > options.maxFields) {
    // Comparisons are counted on expanded selections: only once the expansion is known small.
    return { fields, comparisons: 0 };
  }
  return { fields, comparisons: countComparisons(document, fragments, options.maxComparisons) };
}

function countFields(document: DocumentNode, fragments: Map<string, FragmentDefinitionNode>) {
  const counted = new Map<string, number>();
  const counting = new Set<string>();
  const countFragment = (name: string): number => {
    const known = counted.get(name);
    if (known !== undefined) {
      return known;
    }
    const fragment = fragments.get(name);
    if (!fragment || counting.has(name)) {
      return 0;
    }
    counting.add(name);
    const n = countSet(fragment.selectionSet);
    counting.delete(name);
    counted.set(name, n);
    return n;
  };
  const countSet = (selectionSet: SelectionSetNode): number => {
    let n = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        n += 1 + (selection.selectionSet ? countSet(selection.selectionSet) : 0);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        n += countSet(selection.selectionSet);
      } else {
        n += countFragment(selection.name.value);
      }
    }
    return n;
  };
  let total = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      total += countSet(definition.selectionSet);
    }
  }
  return total;
}

class ComparisonLimitReached extends Error {}

function countComparisons(
  document: DocumentNode,
  fragments: Map<string, FragmentDefinitionNode>,
  max: number,
): number {
  // A selection set's fields by response name, fragments expanded (as the validator merges them).
  const byName = new WeakMap<SelectionSetNode, Map<string, FieldNode[]>>();
  const fieldsByName = (selectionSet: SelectionSetNode): Map<string, FieldNode[]> => {
    const known = byName.get(selectionSet);
    if (known) {
      return known;
    }
    const map = new Map<string, FieldNode[]>();
    const add = (set: SelectionSetNode, spread: ReadonlySet<string>) => {
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          const name = selection.alias?.value ?? selection.name.value;
          const list = map.get(name);
          if (list) {
            list.push(selection);
          } else {
            map.set(name, [selection]);
          }
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          add(selection.selectionSet, spread);
        } else {
          const fragment = fragments.get(selection.name.value);
          if (fragment && !spread.has(fragment.name.value)) {
            add(fragment.selectionSet, new Set([...spread, fragment.name.value]));
          }
        }
      }
    };
    add(selectionSet, new Set());
    byName.set(selectionSet, map);
    return map;
  };
  let comparisons = 0;
  const tick = () => {
    comparisons += 1;
    if (comparisons > max) {
      throw new ComparisonLimitReached();
    }
  };
  const compare = (a: FieldNode, b: FieldNode): void => {
    tick();
    if (a.selectionSet && b.selectionSet) {
      between(a.selectionSet, b.selectionSet);
    }
  };
  const between = (a: SelectionSetNode, b: SelectionSetNode): void => {
    const left = fieldsByName(a);
    const right = fieldsByName(b);
    for (const [name, lefts] of left) {
      // Each name looked up is work of the validator's too (two large subtrees of different
      // names cost it a pass over one of them).
      tick();
      const rights = right.get(name);
      if (rights) {
        for (const x of lefts) {
          for (const y of rights) {
            compare(x, y);
          }
        }
      }
    }
  };
  const within = (selectionSet: SelectionSetNode): void => {
    for (const list of fieldsByName(selectionSet).values()) {
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          compare(list[i] as FieldNode, list[j] as FieldNode);
        }
        const sub = (list[i] as FieldNode).selectionSet;
        if (sub) {
          within(sub);
        }
      }
    }
  };
  try {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) {
        within(definition.selectionSet);
      }
    }
  } catch (error) {
    if (error instanceof ComparisonLimitReached) {
      return comparisons;
    }
    throw error;
  }
  return comparisons;
}
