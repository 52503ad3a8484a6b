package ansi

// kurultai: this is glamour v2.0.1's code block without syntax
// highlighting. Upstream highlights with chroma, whose packages parse
// every embedded style and register every lexer when a program starts
// (12 ms of kurultai's 23 ms start); kurultai renders parliamentary text
// and highlights no code, so a code block is drawn in the code block's
// style, unhighlighted. See ../README.md.

import (
	"io"
)

// A CodeBlockElement is used to render code blocks.
type CodeBlockElement struct {
	Code     string
	Language string
}

// Render renders a CodeBlockElement.
func (e *CodeBlockElement) Render(w io.Writer, ctx RenderContext) error {
	bs := ctx.blockStack

	var indentation uint
	var margin uint
	rules := ctx.options.Styles.CodeBlock
	if rules.Indent != nil {
		indentation = *rules.Indent
	}
	if rules.Margin != nil {
		margin = *rules.Margin
	}

	iw := NewIndentWriter(w, int(indentation+margin), func(_ io.Writer) {
		_, _ = renderText(w, bs.Current().Style.StylePrimitive, " ")
	})
	defer iw.Close() //nolint:errcheck

	el := &BaseElement{
		Token: e.Code,
		Style: rules.StylePrimitive,
	}
	return el.Render(iw, ctx)
}
