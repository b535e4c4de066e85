/** Placeholder while this page is written (this session); the route and its permission are final. */
export default function Page() {
  return <p>…</p>;
}
