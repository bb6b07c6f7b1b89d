/** A page's h1; it takes focus when the page was reached by a route change. */
import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';

/** True when the current page was opened by navigation (not the first load). */
export const FocusOnRouteContext = createContext(false);

/** The page title; focusable by script only (tabIndex −1) so screen readers announce the new page. */
export function PageHeading({ children }: { readonly children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const focus = useContext(FocusOnRouteContext);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus]);
  return (
    <h1 ref={ref} tabIndex={-1} className="page-heading">
      {children}
    </h1>
  );
}
