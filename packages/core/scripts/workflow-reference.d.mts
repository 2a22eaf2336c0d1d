export declare const START: string;
export declare const END: string;
export declare const schemaFile: string;
export declare const referenceFile: string;
export declare function renderKeyTables(schema: unknown): string;
export declare function updateReference(markdown: string, schema: unknown): string;
