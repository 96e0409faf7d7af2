// In-memory databases -> collections -> documents in insertion order (natural
// order, as a fresh mongod collection returns them). Unique indexes, _id's
// included, are enforced with E11000 errors like mongod's.
import { EJSON, ObjectId } from 'bson';
import type { Document } from 'bson';
import { canonicalKey } from './bson-order';
import { CommandError } from './command-error';
import { valueAt } from './field-path';

export interface IndexSpec {
  v: number;
  key: Document;
  name: string;
  unique?: boolean;
  [option: string]: unknown;
}

const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export class StoredCollection {
  /** Documents are replaced, never mutated, so open cursors keep a stable snapshot. */
  docs: Document[] = [];
  readonly indexes: IndexSpec[] = [ID_INDEX];
  private readonly uniqueKeys = new Map<string, Map<string, Document>>([['_id_', new Map()]]);

  constructor(
    readonly db: string,
    readonly name: string,
    readonly options: Document = {},
  ) {}

  get namespace(): string {
    return `${this.db}.${this.name}`;
  }

  private uniqueIndexes(): IndexSpec[] {
    return this.indexes.filter((index) => index.name === '_id_' || index.unique === true);
  }

  private keyValue(doc: Document, index: IndexSpec): Document {
    const value: Document = {};
    for (const field of Object.keys(index.key)) value[field] = valueAt(doc, field) ?? null;
    return value;
  }

  private duplicate(index: IndexSpec, keyValue: Document): CommandError {
    const shown = Object.entries(keyValue)
      .map(([field, value]) => `${field}: ${EJSON.stringify(value, { relaxed: true })}`)
      .join(', ');
    return new CommandError(
      'DuplicateKey',
      `E11000 duplicate key error collection: ${this.namespace} index: ${index.name} dup key: { ${shown} }`,
      { keyPattern: index.key, keyValue },
    );
  }

  /** Throws the E11000 error the write would cause, ignoring `self` (the doc being replaced). */
  private checkUnique(doc: Document, self?: Document): void {
    for (const index of this.uniqueIndexes()) {
      const keyValue = this.keyValue(doc, index);
      const holder = this.uniqueKeys.get(index.name)?.get(canonicalKey(keyValue));
      if (holder && holder !== self) throw this.duplicate(index, keyValue);
    }
  }

  private indexDoc(doc: Document): void {
    for (const index of this.uniqueIndexes()) {
      this.uniqueKeys.get(index.name)?.set(canonicalKey(this.keyValue(doc, index)), doc);
    }
  }

  private unindexDoc(doc: Document): void {
    for (const index of this.uniqueIndexes()) {
      const keys = this.uniqueKeys.get(index.name);
      const key = canonicalKey(this.keyValue(doc, index));
      if (keys?.get(key) === doc) keys.delete(key);
    }
  }

  /** The document with this _id, through the _id index (numbers compare across types). */
  findById(id: unknown): Document | undefined {
    return this.uniqueKeys.get('_id_')?.get(canonicalKey({ _id: id }));
  }

  /** Inserts a document, giving it an ObjectId _id (first field) when it has none. */
  insert(input: Document): Document {
    const doc = '_id' in input ? input : { _id: new ObjectId(), ...input };
    this.checkUnique(doc);
    this.docs.push(doc);
    this.indexDoc(doc);
    return doc;
  }

  replace(oldDoc: Document, newDoc: Document): void {
    const position = this.docs.indexOf(oldDoc);
    if (position < 0) throw new Error('replacing a document that is not stored');
    this.checkUnique(newDoc, oldDoc);
    this.unindexDoc(oldDoc);
    this.docs[position] = newDoc;
    this.indexDoc(newDoc);
  }

  remove(doc: Document): void {
    const position = this.docs.indexOf(doc);
    if (position < 0) return;
    this.docs.splice(position, 1);
    this.unindexDoc(doc);
  }

  /** Adds an index; returns false when an identical one (same name or key) already exists. */
  addIndex(spec: IndexSpec): boolean {
    const same = this.indexes.find(
      (index) => index.name === spec.name || canonicalKey(index.key) === canonicalKey(spec.key),
    );
    if (same) {
      if (same.name !== spec.name || Boolean(same.unique) !== Boolean(spec.unique)) {
        throw new CommandError(
          'BadValue',
          `An existing index has the same name or key pattern as the requested index: ${same.name}`,
        );
      }
      return false;
    }
    if (spec.unique === true) {
      const keys = new Map<string, Document>();
      for (const doc of this.docs) {
        const keyValue = this.keyValue(doc, spec);
        const key = canonicalKey(keyValue);
        if (keys.has(key)) throw this.duplicate(spec, keyValue);
        keys.set(key, doc);
      }
      this.uniqueKeys.set(spec.name, keys);
    }
    this.indexes.push(spec);
    return true;
  }

  dropIndex(name: string): boolean {
    const position = this.indexes.findIndex((index) => index.name === name);
    if (position <= 0) return false; // _id_ cannot be dropped
    this.indexes.splice(position, 1);
    this.uniqueKeys.delete(name);
    return true;
  }
}

export class InMemoryStore {
  private readonly databases = new Map<string, Map<string, StoredCollection>>();

  collection(db: string, name: string): StoredCollection | undefined {
    return this.databases.get(db)?.get(name);
  }

  /** Collections (and databases) spring into existence on first write, as in mongod. */
  collectionForWrite(db: string, name: string): StoredCollection {
    if (!name || name.includes('$') || db === '' || /[/\\. "$]/u.test(db)) {
      throw new CommandError('InvalidNamespace', `Invalid namespace specified '${db}.${name}'`);
    }
    let collections = this.databases.get(db);
    if (!collections) {
      collections = new Map();
      this.databases.set(db, collections);
    }
    let collection = collections.get(name);
    if (!collection) {
      collection = new StoredCollection(db, name);
      collections.set(name, collection);
    }
    return collection;
  }

  createCollection(db: string, name: string, options: Document): StoredCollection {
    if (this.collection(db, name)) {
      throw new CommandError('NamespaceExists', `Collection ${db}.${name} already exists.`);
    }
    const collection = this.collectionForWrite(db, name);
    Object.assign(collection.options, options);
    return collection;
  }

  collections(db: string): StoredCollection[] {
    return [...(this.databases.get(db)?.values() ?? [])];
  }

  databaseNames(): string[] {
    return [...this.databases.keys()].filter((db) => (this.databases.get(db)?.size ?? 0) > 0);
  }

  dropCollection(db: string, name: string): boolean {
    const collections = this.databases.get(db);
    const dropped = collections?.delete(name) ?? false;
    if (collections && collections.size === 0) this.databases.delete(db);
    return dropped;
  }

  dropDatabase(db: string): boolean {
    return this.databases.delete(db);
  }
}
