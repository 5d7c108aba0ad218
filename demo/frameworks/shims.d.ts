// Lets TypeScript follow the framework pages' imports of single-file components; the files
// themselves are checked by their own compilers when the build compiles them.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}

declare module '*.svelte' {
  import type { Component } from 'svelte';
  const component: Component;
  export default component;
}
