/** Where the generated module goes. */
export const GENERATED_FILE: string;
/** The generated module's text for the two bundles' code. */
export function generatedModule(head: string, page: string): string;
