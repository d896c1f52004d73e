-- The title is the page's only h1 (accessibility: one h1, headings in order). A chapter that
-- starts its sections with "#" is shifted down one level instead of failing the render.
-- Used by both renderers (Quarto: `filters:` in _quarto.yml; fallback: pandoc --lua-filter).
function Header(h)
  if h.level == 1 then
    h.level = 2
    return h
  end
  return nil
end
