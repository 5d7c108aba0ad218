// Stands for a framework that is not installed. It is not in the program unless something imports
// React, Vue or Svelte, and then this line fails the compilation, naming this file.
export type FrameworkIsNotInstalled = ImportedAFrameworkFromTheMainEntry;
