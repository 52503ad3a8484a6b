package command

import (
	"testing"

	"kurultai/ui"
	"kurultai/ui/i18n"
	"kurultai/ui/i18n/i18ntest"
)

// TestCommandLineCatalogue: the usage, the help, every command's summary
// and every flag's words are in the Kazakh and Russian catalogues, and
// every message of the catalogues is asked for somewhere: by the
// interface, the command line or the table of commands.
func TestCommandLineCatalogue(t *testing.T) {
	asked, _ := i18ntest.Asked(t, ".")
	for _, dir := range []string{"../ui", "../ui/cli"} {
		more, _ := i18ntest.Asked(t, dir)
		for k, v := range more {
			asked[k] = v
		}
	}
	table := map[string]string{}
	for _, c := range commands {
		if !c.Hidden {
			table[c.Summary] = "the summary of " + c.Name
		}
		if c.Long != "" {
			table[c.Long] = "the help of " + c.Name
		}
		for _, f := range c.Flags {
			table[f.Usage] = "--" + f.Name + " of " + c.Name
		}
	}
	for _, f := range globalFlags {
		table[f.Usage] = "--" + f.Name
	}
	// The keys' help names a key in words once: the letters that filter.
	table["a letter"] = "the filter's key"
	// A searchPage's help is the search command's Long.
	table[ui.SearchLanguage] = "the search language"
	for _, lang := range []string{i18n.Kazakh, i18n.Russian} {
		cat, err := i18n.Keys(lang)
		if err != nil {
			t.Fatal(err)
		}
		for k, where := range table {
			if _, ok := cat[k]; !ok {
				t.Errorf("%s: %q is not in %s.toml", where, k, lang)
			}
		}
		for k, where := range asked {
			if _, ok := cat[k]; !ok {
				t.Errorf("%s: %q is not in %s.toml", where, k, lang)
			}
		}
		for k := range cat {
			_, a := asked[k]
			_, b := table[k]
			if !a && !b {
				t.Errorf("%s.toml: %q is asked for nowhere", lang, k)
			}
		}
	}
}
