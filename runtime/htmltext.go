package lanes

import (
	"html"
	"strings"
)

// htmlText turns HTML into the text a reader of the rendered page would
// see, for text-only front ends: tags dropped and entities decoded; blocks
// (p, div, br, li, headings) start lines; table rows become lines whose
// cells are aligned in columns. It is a reader's approximation, not a
// browser: scripts and styles are dropped, and white space collapses.
func htmlText(s string) string {
	var (
		out   []string // finished lines
		line  strings.Builder
		table [][]string // rows of the open table
		row   []string   // cells of the open row
		cell  *strings.Builder
		depth int // nesting of tables; inner tables flatten into cells
	)
	text := func(t string) {
		w := &line
		if cell != nil {
			w = cell
		}
		for _, f := range strings.Fields(t) {
			if w.Len() > 0 && !strings.HasSuffix(w.String(), " ") {
				w.WriteByte(' ')
			}
			w.WriteString(f)
		}
		if len(t) > 0 && isSpace(t[len(t)-1]) && w.Len() > 0 {
			w.WriteByte(' ')
		}
	}
	newline := func() {
		if cell != nil {
			cell.WriteByte(' ')
			return
		}
		if l := strings.TrimSpace(line.String()); l != "" {
			out = append(out, l)
		}
		line.Reset()
	}
	endCell := func() {
		if cell != nil {
			row = append(row, strings.TrimSpace(cell.String()))
			cell = nil
		}
	}
	endRow := func() {
		endCell()
		if row != nil {
			table = append(table, row)
			row = nil
		}
	}
	for len(s) > 0 {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			text(html.UnescapeString(s))
			break
		}
		text(html.UnescapeString(s[:i]))
		s = s[i:]
		if strings.HasPrefix(s, "<!--") {
			end := strings.Index(s, "-->")
			if end < 0 {
				break
			}
			s = s[end+3:]
			continue
		}
		end := strings.IndexByte(s, '>')
		if end < 0 {
			text(html.UnescapeString(s))
			break
		}
		tag := s[1:end]
		s = s[end+1:]
		closing := strings.HasPrefix(tag, "/")
		name := strings.ToLower(strings.TrimLeft(strings.Fields(tag + " ")[0], "/"))
		name = strings.TrimRight(name, "/")
		switch name {
		case "script", "style", "title":
			if !closing {
				if k := strings.Index(strings.ToLower(s), "</"+name); k >= 0 {
					s = s[k:]
				}
			}
		case "table":
			if closing {
				depth--
				if depth == 0 {
					endRow()
					out = append(out, alignRows(table, " │ ")...)
					table = nil
				}
			} else {
				if depth == 0 {
					newline()
				}
				depth++
			}
		case "tr":
			if depth == 1 {
				endRow()
				if !closing {
					row = []string{}
				}
			}
		case "td", "th":
			if depth == 1 {
				endCell()
				if !closing {
					if row == nil {
						row = []string{}
					}
					cell = &strings.Builder{}
				}
			}
		case "br", "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "hr", "text", "section", "header", "footer", "blockquote":
			newline()
			if name == "li" && !closing {
				text("- ")
			}
		}
	}
	endRow()
	if table != nil {
		out = append(out, alignRows(table, " │ ")...)
	}
	newline()
	return strings.Join(out, "\n")
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// alignRows pads the cells of rows into columns joined by sep.
func alignRows(rows [][]string, sep string) []string {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = c
			if i < len(r)-1 {
				cells[i] = padRight(c, widths[i])
			}
		}
		out = append(out, strings.TrimRight(strings.Join(cells, sep), " "))
	}
	return out
}

// markdownText is Markdown as text: the text itself, with the cells of
// pipe tables aligned in columns and their delimiter rows drawn as rules.
func markdownText(s string) string {
	lines := strings.Split(s, "\n")
	var out []string
	for i := 0; i < len(lines); {
		if !isTableRow(lines[i]) {
			out = append(out, lines[i])
			i++
			continue
		}
		var rows [][]string
		rule := -1
		for ; i < len(lines) && isTableRow(lines[i]); i++ {
			cells := tableCells(lines[i])
			if isDelimiterRow(cells) {
				rule = len(rows)
				continue
			}
			rows = append(rows, cells)
		}
		aligned := alignRows(rows, " │ ")
		for j, l := range aligned {
			if j == rule {
				out = append(out, strings.Repeat("─", maxLen(aligned)))
			}
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func isTableRow(l string) bool {
	t := strings.TrimSpace(l)
	return len(t) > 1 && t[0] == '|'
}

func tableCells(l string) []string {
	t := strings.TrimSpace(l)
	t = strings.TrimSuffix(strings.TrimPrefix(t, "|"), "|")
	cells := strings.Split(t, "|")
	for i, c := range cells {
		cells[i] = strings.TrimSpace(c)
	}
	return cells
}

func isDelimiterRow(cells []string) bool {
	for _, c := range cells {
		if strings.Trim(c, ":-") != "" || !strings.Contains(c, "-") {
			return false
		}
	}
	return true
}

func maxLen(lines []string) int {
	n := 0
	for _, l := range lines {
		n = max(n, len([]rune(l)))
	}
	return n
}
