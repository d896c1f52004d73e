--[[
Cross-references, numbered captions and callouts for the fallback renderer (pandoc alone).
Quarto does all of this itself; plain pandoc has no cross-references without pandoc-crossref,
which is not on PyPI, so this filter is written by hand. It:
  * numbers figures (#fig-*) and tables (#tbl-*) in document order: "Figur 1: ..." / "Figure 1: ...",
  * sets each image's alt text from its fig-alt attribute,
  * turns @fig-x / @tbl-x citations into numbered links, and fails on a reference without a target,
  * turns @sec-x citations into links named by the section's heading (Quarto writes "Section 3.1"),
  * renders ::: {.callout-note|warning|important|tip|caution} divs as boxes with a heading.
Table cells arrive from the renderer as ::: {#tbl-x tbl-cap="..."} divs around a pipe table.
]]

local WORDS = {
  nb = { fig = "Figur", tbl = "Tabell", note = "Merk", warning = "Advarsel",
         important = "Viktig", tip = "Tips", caution = "Obs" },
  en = { fig = "Figure", tbl = "Table", note = "Note", warning = "Warning",
         important = "Important", tip = "Tip", caution = "Caution" },
}

local words = WORDS.nb
local numbers = {}
local counters = { fig = 0, tbl = 0 }

local function kind_of(id)
  return id and id:match("^(%a%a%a)%-") or nil
end

local function label(kind, id)
  counters[kind] = counters[kind] + 1
  numbers[id] = { kind = kind, n = counters[kind] }
  return words[kind] .. " " .. counters[kind]
end

local function prefixed(text, inlines)
  local out = pandoc.Inlines({ pandoc.Strong({ pandoc.Str(text .. ":") }), pandoc.Space() })
  out:extend(inlines)
  return out
end

local function number_figure(fig)
  local img_id = nil
  fig = fig:walk({
    Image = function(img)
      img_id = img_id or (img.identifier ~= "" and img.identifier or nil)
      local alt = img.attributes["fig-alt"]
      if alt then
        img.caption = pandoc.Inlines({ pandoc.Str(alt) })
        img.attributes["fig-alt"] = nil
      end
      img.identifier = ""
      return img
    end,
  })
  local id = fig.identifier ~= "" and fig.identifier or img_id
  if kind_of(id) ~= "fig" then
    return fig
  end
  fig.identifier = id
  local text = label("fig", id)
  local blocks = fig.caption.long
  if #blocks == 0 then
    blocks = pandoc.Blocks({ pandoc.Plain({}) })
  end
  blocks[1].content = prefixed(text, blocks[1].content)
  fig.caption.long = blocks
  return fig
end

local function caption_inlines(text)
  local doc = pandoc.read(text, "markdown")
  if #doc.blocks == 0 then
    return pandoc.Inlines({})
  end
  return pandoc.utils.blocks_to_inlines(doc.blocks)
end

local function number_table_div(div)
  if kind_of(div.identifier) ~= "tbl" then
    return nil
  end
  local text = label("tbl", div.identifier)
  local cap = caption_inlines(div.attributes["tbl-cap"] or "")
  div.attributes["tbl-cap"] = nil
  local done = false
  div = div:walk({
    Table = function(tbl)
      if done then
        return nil
      end
      done = true
      tbl.caption.long = pandoc.Blocks({ pandoc.Plain(prefixed(text, cap)) })
      return tbl
    end,
  })
  if not done then
    error("table " .. div.identifier .. " has a caption but its cell printed no table")
  end
  return div
end

-- A markdown table captioned Quarto-style, ": Caption {#tbl-x}": pandoc puts the id on the table.
local function number_captioned_table(tbl)
  if kind_of(tbl.identifier) ~= "tbl" then
    return nil
  end
  local cap = pandoc.utils.blocks_to_inlines(tbl.caption.long)
  tbl.caption.long = pandoc.Blocks({ pandoc.Plain(prefixed(label("tbl", tbl.identifier), cap)) })
  return tbl
end

local function resolve(cite)
  local out = pandoc.Inlines({})
  for i, c in ipairs(cite.citations) do
    local kind = kind_of(c.id)
    if kind ~= "fig" and kind ~= "tbl" and kind ~= "sec" then
      return nil -- a bibliography citation: not ours
    end
    local target = numbers[c.id]
    if not target then
      error("cross-reference @" .. c.id .. " has no target (no figure, table or section with that id)")
    end
    if i > 1 then
      out:insert(pandoc.Str(","))
      out:insert(pandoc.Space())
    end
    if kind == "sec" then
      out:insert(pandoc.Link(target.title, "#" .. c.id))
    else
      out:insert(pandoc.Link(words[kind] .. "\u{a0}" .. target.n, "#" .. c.id))
    end
  end
  return out
end

local CALLOUTS = { "note", "warning", "important", "tip", "caution" }

local function callout(div)
  for _, kind in ipairs(CALLOUTS) do
    if div.classes:includes("callout-" .. kind) then
      local title = div.attributes["title"] and caption_inlines(div.attributes["title"]) or nil
      local body = pandoc.Blocks({})
      for _, block in ipairs(div.content) do
        if block.t == "Header" and not title then
          title = block.content
        else
          body:insert(block)
        end
      end
      title = title or pandoc.Inlines({ pandoc.Str(words[kind]) })
      local head = pandoc.Div({ pandoc.Plain(title) }, pandoc.Attr("", { "callout-title" }))
      local inner = pandoc.Div(body, pandoc.Attr("", { "callout-body" }))
      return pandoc.Div({ head, inner },
        pandoc.Attr(div.identifier, { "callout", "callout-" .. kind }, { role = "note" }))
    end
  end
  return nil
end

function Pandoc(doc)
  local lang = doc.meta.lang and pandoc.utils.stringify(doc.meta.lang):sub(1, 2) or "nb"
  words = WORDS[lang] or WORDS.en
  doc = doc:walk({ traverse = "topdown", Figure = number_figure,
                   Div = number_table_div, Table = number_captioned_table })
  doc:walk({ Header = function(h)
    if kind_of(h.identifier) == "sec" then
      numbers[h.identifier] = { kind = "sec", title = pandoc.utils.stringify(h.content) }
    end
  end })
  doc = doc:walk({ Cite = resolve })
  doc = doc:walk({ Div = callout })
  -- One <main> landmark around the content (the title block and contents stay outside it).
  doc.blocks:insert(1, pandoc.RawBlock("html", "<main>"))
  doc.blocks:insert(pandoc.RawBlock("html", "</main>"))
  return doc
end
