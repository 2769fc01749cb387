/** The one part of spdy-transport tektite uses: SPDY's header-compression dictionaries by protocol version. */
declare module 'spdy-transport/lib/spdy-transport/protocol/spdy/dictionary.js' {
  const dictionaries: Record<number, Buffer>;
  export default dictionaries;
}
