/**
 * The element's styles. The host takes `--chartio-embed-height` (or whatever height the page
 * gives it) unless `sizing="auto"`, where the dashboard's own height decides. Frames are stacked
 * so the next dashboard loads hidden behind the current one and no blank frame is ever shown.
 * Written one rule a line: Lit ships this text as is, and it counts in the bundle. Inside the
 * box, every child is a frame or the one overlay `div` (loading or error) stacked above them,
 * in the theme's colour scheme (`Canvas` follows it), its message centred in the part of the
 * element on screen (sticky, at most a screen tall) however tall the element is. Full screen,
 * the box fills the screen whatever height `sizing="auto"` gave it.
 * @module
 */
import { css } from '@lit/reactive-element';

/** Styles of `<chartio-embed>`'s shadow root. */
export const styles = css`
:host{display:block;height:var(--chartio-embed-height,600px)}
:host([hidden]){display:none}
:host([sizing=auto]){height:auto}
#box{position:relative;height:100%}
:host([sizing=auto]) #box{height:var(--chartio-embed-height,600px)}
#box>*{position:absolute;inset:0;width:100%;height:100%;border:0}
.next{visibility:hidden}
#box>div{z-index:1;background:Canvas}
#box>div>slot{display:grid;place-content:center;gap:1em;position:sticky;top:0;height:min(100%,100vh)}
:host([theme=dark]){color-scheme:dark}
:host([theme=auto]){color-scheme:light dark}
:host(:fullscreen) #box{height:100%!important}
`;
