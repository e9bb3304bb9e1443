package site

import (
	"fmt"
	"html/template"

	"github.com/jcdd/jcdd/internal/export"
)

// words are the chart texts of one language.
type words struct {
	ja                       bool
	everyEvent, coreEnlarged string // formats of the panel titles: first and last year
	coreLane, contextLane    string
	everyLane, bucketTitle   string // an aggregated lane of every event; a period's hover text: period, count
	plan, planTotal          string // planTotal: qualifier, billions, oku
	planPerYear, inTotal     string // billions per year
	about, atLeast           string
	basisSum, basisReported  string
	stageLabel, stageName    map[string]string // Japanese only: English is in stageStyles
	confidence               map[string]string
	fy                       func(int) string
}

var wordsEN = &words{
	everyEvent: "Every event, %d–%d", coreEnlarged: "The core story, %d–%d, enlarged",
	coreLane: "Core story", contextLane: "Context",
	everyLane: "Every event", bucketTitle: "%s: %d events; click for their list",
	plan: "Plan ", planTotal: "%s¥%s bn in total (%s)", planPerYear: "≈ ¥%s bn a year",
	inTotal: " in total, ≈ ¥%s billion a year on average",
	about:   "about ", atLeast: "at least ",
	basisSum: "sum of the items in the dataset (a lower bound)", basisReported: "total reported by a source",
	confidence: map[string]string{"confirmed": "confirmed", "reported": "reported", "disputed": "disputed"},
	fy:         func(y int) string { return fmt.Sprintf("FY%d", y) },
}

var wordsJA = &words{
	ja:         true,
	everyEvent: "全期間の出来事（%d〜%d年）", coreEnlarged: "中核の経緯（%d〜%d年）の拡大",
	coreLane: "中核の経緯", contextLane: "背景",
	everyLane: "全ての出来事", bucketTitle: "%s：出来事%d件（クリックで一覧）",
	plan: "計画 ", planTotal: "総額%s¥%s bn（%s）", planPerYear: "年平均 約¥%s bn",
	inTotal: "（総額。年平均 約¥%s billion）",
	about:   "約", atLeast: "少なくとも",
	basisSum: "データセット内の項目の合計（下限）", basisReported: "出典が示す総額",
	stageLabel: map[string]string{
		"request": "概算要求", "draft": "政府案", "initial": "当初予算（成立）", "supplementary": "補正予算",
		"spending": "報じられた支出", "plan": "複数年計画（年平均）",
	},
	stageName: map[string]string{
		"request": "概算要求", "draft": "政府案", "initial": "当初予算", "supplementary": "補正予算",
		"spending": "報じられた支出", "plan": "複数年計画",
	},
	confidence: map[string]string{"confirmed": "確認済み", "reported": "報道", "disputed": "否定あり"},
	fy:         func(y int) string { return fmt.Sprintf("%d年度", y) },
}

// labels are the texts of the page in one language. Those of type
// template.HTML hold markup of this package's own, never data.
type labels struct {
	Lang, OtherLang, OtherHref, OtherName                    string
	Title, Release, Description, Lede, FeedTitle             string
	CurrentPre, CurrentMid, CurrentPost                      string
	Sections, Download, Cite, Timeline, Budget, APIReference string
	CoversH                                                  string
	Covers                                                   template.HTML
	RecordsIn, CountsNote, AboutRelease                      string
	EventsByYear, EventsByType, FacetsNote                   string
	DownloadButton                                           string
	BundleHolds                                              template.HTML
	SQLiteHolds                                              template.HTML
	CheckPre, CheckOr, CheckPost                             string
	EveryRelease, ColRelease, ColPublished, ColChanges       string
	CurrentTag, SinceFmt, FirstRelease                       string
	MachineReadable                                          template.HTML
	CiteH                                                    string
	CiteIntro, Licence                                       template.HTML
	TimelineH, TimelineCountFmt                              string
	KeyCore, KeyContext, KeyDisputed, KeyBar, KeyRest        string
	TimelineSVGTitle, CoreListFmt, ColWhen, ColEvent         string
	TimelineCounted, CoreListMoreFmt, BudgetPartialFmt       string // shown when the release is too large to show whole
	BudgetH                                                  string
	BudgetIntro                                              template.HTML
	Legend, LowerBoundKey, BudgetSVGTitleFmt, YenBillion     string
	BudgetTableFmt, ColAgency, ColFiscalYear, ColStage       string
	ColAmount, ColOku, ColFigure                             string
	BudgetFromAPI, APISection, Footer                        template.HTML
}

var labelsEN = &labels{
	Lang: "en", OtherLang: "ja", OtherHref: "/ja/", OtherName: "日本語",
	Title: "Japan Cyber Defense Dataset (jcdd)", Release: "release", FeedTitle: "jcdd releases (Atom feed)",
	Description: "A versioned, sourced dataset of the 2020 PLA intrusion into Japan's defense networks, the US–Japan response, and Japan's cyber budget and programs. Downloads, checksums, citation and charts.",
	Lede:        "A public, versioned and sourced dataset about the 2020 intrusion by China's People's Liberation Army into Japan's classified defense networks, the US–Japan response, and Japan's cybersecurity budget and programs, with a read-only API.",
	CurrentPre:  "Current release ", CurrentMid: ", published ", CurrentPost: ".",
	Sections: "Sections", Download: "Download", Cite: "Cite", Timeline: "Timeline", Budget: "Budget", APIReference: "API reference",
	CoversH: "What the dataset covers",
	Covers: `<li><strong>Events</strong>: the core story — US warnings to Tokyo in 2020, the PLA's intrusion, its discovery by the NSA, the briefings in Tokyo, the intruders still present in 2021, the public reports of 2023 and 2024 and every official reaction to them — and the institutional, legal and incident context, each with its dates (exact or partial), actors and their roles, and a confidence rating.</li>
<li><strong>Actors</strong>: people, agencies, military units, states, media and threat groups, with Japanese names where a source gives them, and positions over time.</li>
<li><strong>Budget lines</strong>: Japan's cyber budgets by fiscal year, agency and stage (request, draft, initial, supplementary, plan, spending), in integer yen; stages are never added together.</li>
<li><strong>Programs</strong>: organizations, laws, strategies, initiatives and targets, with metrics over time such as SDF cyber personnel.</li>
<li><strong>Sources</strong>: every document a record cites, with its address, publisher, date and language. A claim no source supports is left out; where sources disagree, both are kept.</li>`,
	RecordsIn: "Records in release", CountsNote: "Counts include withdrawn records, which are kept as tombstones so that ids are never reused.",
	EventsByYear: "Events by year they began", EventsByType: "Events by type",
	FacetsNote:   "Current events only; the same counts, for any filter, are at /v1/events/facets.",
	AboutRelease: "About release", DownloadButton: "Download",
	BundleHolds: `One folder per release: one CSV file per table (UTF-8 with a byte order mark, so that Excel shows Japanese text correctly), the same data as JSON and NDJSON, a <code>README.md</code> codebook describing every column, <code>datapackage.json</code>, <code>CITATION.cff</code>, the licence and <code>SHA256SUMS</code>. A published release never changes: the same version always has the same bytes.`,
	SQLiteHolds: `The same tables as one SQLite database, for SQL: keys, indexes, full-text search in English and Japanese, views that join events to their actors and sources, and the codebook as a table. It opens in sqlite3, Datasette or DuckDB; <a href="` + sqliteGuide + `">the guide</a> has example queries.`,
	CheckPre:    "Check a download against the checksum above: ", CheckOr: " or ", CheckPost: ".",
	EveryRelease: "Every release", ColRelease: "Release", ColPublished: "Published", ColChanges: "Changes",
	CurrentTag: "current", SinceFmt: "since %s", FirstRelease: "first release",
	MachineReadable: `Machine-readable: <a href="/v1/releases">/v1/releases</a> lists every release with its bundle's URL, SHA-256 and size.`,
	CiteH:           "Cite it",
	CiteIntro:       `Cite the release you used. Every API response names its release, and gives this citation in <code>meta.citation</code>.`,
	Licence:         `The data is licensed under <a href="https://creativecommons.org/licenses/by/4.0/">Creative Commons Attribution 4.0 International</a>. Each record's sources lead to the documents behind it: quote those for the facts.`,
	TimelineH:       "Timeline of the events", TimelineCountFmt: "%d events of release %s, by date.",
	KeyCore: "core story", KeyContext: "context", KeyDisputed: "hollow: disputed", KeyBar: "a bar:",
	KeyRest:          "a period, or a date known only to the month, season or year. Hover over a mark for its date and title; each links to the event in the API.",
	TimelineSVGTitle: "Timeline of the events of the release: the core story above, the context below",
	CoreListFmt:      "The core story as a list (%d events)", ColWhen: "When", ColEvent: "Event",
	TimelineCounted:  "This release has too many events to draw one by one: where a lane is a histogram, each bar counts the events that overlap its period and links to their list in the API.",
	CoreListMoreFmt:  "The first %d of %d; every one:",
	BudgetPartialFmt: "The chart shows the %d agencies with the largest budgets, of %d, and the table its first %d rows, of %d; every row:",
	BudgetH:          "The cyber budget by fiscal year",
	BudgetIntro:      `Japan's cyber budget by fiscal year (April to March, named by the year it starts in), in <strong>billions of yen</strong> (¥1 billion = 10 oku-yen, 10億円). One panel per agency, each with its own scale: agencies are not added together, since a ministry's budget is part of the government's. One colour per stage; stages are never added together either. A multi-year plan is drawn as a band over its years at its average per year (its total divided by its years). Hover over a bar for the exact amount.`,
	Legend:           "Legend", LowerBoundKey: "Dashed outline: the sum of the items in the dataset, a lower bound",
	BudgetSVGTitleFmt: "Cyber budget by fiscal year, FY%d–FY%d, one panel per agency, one colour per stage, in billions of yen",
	YenBillion:        "¥ billion", BudgetTableFmt: "The figures as a table (%d rows)",
	ColAgency: "Agency", ColFiscalYear: "Fiscal year", ColStage: "Stage", ColAmount: "Amount", ColOku: "In oku-yen", ColFigure: "Figure",
	BudgetFromAPI: `The same figures from the API: <a href="/v1/budgets/summary">/v1/budgets/summary</a> (JSON, or <a href="/v1/budgets/summary?format=csv-excel">CSV for Excel</a>); the lines behind them: <a href="/v1/budgets?limit=500">/v1/budgets</a>.`,
	APISection: `<p>Everything on this page comes from a read-only REST API: typed JSON, CSV and NDJSON, filters, paging, ETags, and <code>release=</code> to pin a release.</p>
<ul>
<li><a href="/docs">API reference</a>, generated from the OpenAPI description: <a href="/openapi.yaml">openapi.yaml</a> and <a href="/openapi.json">openapi.json</a> (OpenAPI 3.1), <a href="/openapi-3.0.yaml">openapi-3.0.yaml</a> (3.0).</li>
<li><a href="/v1/events?tag=core&amp;fields=id,occurred,title">The core events</a>, <a href="/v1/actors?country=JP&amp;kind=person&amp;fields=id,name">Japanese people with their names in kanji</a>, <a href="/v1/programs">programs</a>, <a href="/v1/sources">sources</a>.</li>
<li><a href="/v1/releases">/v1/releases</a>: every release, with its bundle's URL, SHA-256 and size; <code>/v1/releases/{version}/download</code>; <code>/v1/releases/{version}/changes?since={older version}</code> (add <code>&amp;format=csv-excel</code> for Excel).</li>
</ul>`,
	Footer: `Data: <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>. Code: Apache License 2.0. Source, issues and corrections: <a href="https://github.com/jcdd/jcdd">github.com/jcdd/jcdd</a>. The data is provided as is: check the cited sources before relying on a claim.`,
}

var labelsJA = &labels{
	Lang: "ja", OtherLang: "en", OtherHref: "/", OtherName: "English",
	Title: "日本サイバー防衛データセット（jcdd）", Release: "リリース", FeedTitle: "jcddのリリース（Atomフィード）",
	Description: "2020年に発覚した中国人民解放軍による日本の防衛ネットワークへの侵入、日米の対応、日本のサイバー予算と施策を記録した、版管理された出典付きのデータセット。ダウンロード、チェックサム、引用、グラフ。",
	Lede:        "中国人民解放軍が日本の防衛機密ネットワークに侵入した2020年の事案、それに対する日米の対応、日本のサイバーセキュリティ予算と施策を、出典付きで記録した公開データセットです。版ごとに固定して公開し、読み取り専用のAPIでも提供しています。",
	CurrentPre:  "現在のリリースは ", CurrentMid: "（", CurrentPost: " 公開）です。",
	Sections: "目次", Download: "ダウンロード", Cite: "引用", Timeline: "年表", Budget: "予算", APIReference: "APIリファレンス",
	CoversH: "収録している内容",
	Covers: `<li><strong>出来事</strong>：中核の経緯（2020年の米国から東京への警告、人民解放軍による侵入とNSAによる発見、東京での説明、2021年になっても続いた侵入、2023年と2024年の報道とそれに対する公式の反応）と、組織・法制度・事案に関する背景。それぞれに日付（月や年までしか分からないものを含む）、関係した主体とその役割、確度を付けています。</li>
<li><strong>主体</strong>：人物、官庁、部隊、国家、報道機関、攻撃グループ。出典が示す日本語名と、時期ごとの役職を記録しています。</li>
<li><strong>予算項目</strong>：日本のサイバー関連予算を、年度・機関・段階（概算要求、政府案、当初、補正、計画、支出）ごとに円単位の整数で記録しています。段階の異なる金額は合算しません。</li>
<li><strong>施策</strong>：組織、法律、戦略、取り組み、目標。自衛隊のサイバー要員数など、時点ごとの指標を含みます。</li>
<li><strong>出典</strong>：各記録が根拠とする文書の所在、発行者、日付、言語。出典で裏付けられない事柄は載せず、出典の間で食い違いがあれば両方を残しています。</li>`,
	RecordsIn: "収録件数：リリース", CountsNote: "件数には廃止された記録を含みます。idを再利用しないよう、廃止した記録も残しています。",
	EventsByYear: "開始年別の出来事", EventsByType: "種類別の出来事",
	FacetsNote:   "廃止されていない出来事のみ。同じ件数を、任意の条件で /v1/events/facets から取得できます。",
	AboutRelease: "このリリースについて：", DownloadButton: "ダウンロード",
	BundleHolds: `リリースごとに1つのフォルダーにまとめています。表ごとのCSVファイル（BOM付きUTF-8なので、Excelでも日本語が正しく表示されます）、同じデータのJSONとNDJSON、全列を説明したコードブック <code>README.md</code>、<code>datapackage.json</code>、<code>CITATION.cff</code>、ライセンス、<code>SHA256SUMS</code> が入っています。公開したリリースは変更しません。同じ版はいつも同じバイト列です。`,
	SQLiteHolds: `同じ表を1つのSQLiteデータベースにしたものです。キー、索引、日英両語の全文検索、出来事と主体・出典を結び付けたビュー、表としてのコードブックを備え、sqlite3、Datasette、DuckDBで開けます。クエリの例は<a href="` + sqliteGuide + `">解説（英語）</a>にあります。`,
	CheckPre:    "ダウンロードしたファイルは上のチェックサムで確認できます：", CheckOr: "、", CheckPost: "。",
	EveryRelease: "すべてのリリース", ColRelease: "リリース", ColPublished: "公開日", ColChanges: "変更点",
	CurrentTag: "現在", SinceFmt: "%s からの変更", FirstRelease: "最初のリリース",
	MachineReadable: `機械可読の一覧：<a href="/v1/releases">/v1/releases</a> に各リリースのファイルのURL、SHA-256、サイズがあります。`,
	CiteH:           "引用のしかた",
	CiteIntro:       `使ったリリースを引用してください。APIの応答はすべて自らのリリースを示し、この引用文を <code>meta.citation</code> に含めています。`,
	Licence:         `データのライセンスは<a href="https://creativecommons.org/licenses/by/4.0/deed.ja">クリエイティブ・コモンズ 表示 4.0 国際</a>です。事実関係を引用する際は、各記録の出典が示す元の文書に当たってください。`,
	TimelineH:       "出来事の年表", TimelineCountFmt: "リリースの出来事%d件（リリース %s）を日付順に示します。",
	KeyCore: "中核の経緯", KeyContext: "背景", KeyDisputed: "白抜き：否定あり", KeyBar: "帯：",
	KeyRest:          "期間、または月・季節・年までしか分からない日付。印にカーソルを合わせると日付と題名が表示され、クリックするとAPIの該当する出来事に移ります。",
	TimelineSVGTitle: "リリースの出来事の年表：上が中核の経緯、下が背景",
	CoreListFmt:      "中核の経緯の一覧（%d件）", ColWhen: "時期", ColEvent: "出来事",
	TimelineCounted:  "このリリースは出来事が多く、一件ずつは描けません。ヒストグラムの行では、各棒がその期間にかかる出来事の件数を示し、クリックするとAPIの一覧に移ります。",
	CoreListMoreFmt:  "%d件を表示（全%d件）。全件：",
	BudgetPartialFmt: "グラフは予算の大きい%d機関（全%d機関）、表は最初の%d行（全%d行）を示します。全行：",
	BudgetH:          "年度別のサイバー関連予算",
	BudgetIntro:      `日本のサイバー関連予算を年度（4月〜翌年3月、始まる年で呼ぶ）ごとに<strong>10億円単位</strong>（¥1 billion = 10億円）で示します。機関ごとに別の目盛りのパネルに分けています。省庁の予算は政府全体の予算の一部なので、機関の間で合算はしません。段階ごとに色を分け、段階の異なる金額も合算しません。複数年の計画は、総額を年数で割った年平均の高さで、その期間にわたる帯として描いています。棒にカーソルを合わせると正確な金額が表示されます。`,
	Legend:           "凡例", LowerBoundKey: "点線の枠：データセット内の項目の合計（下限）",
	BudgetSVGTitleFmt: "年度別のサイバー関連予算（%d〜%d年度）。機関ごとのパネル、段階ごとの色、単位は10億円",
	YenBillion:        "10億円", BudgetTableFmt: "数値の表（%d行）",
	ColAgency: "機関", ColFiscalYear: "年度", ColStage: "段階", ColAmount: "金額", ColOku: "億円", ColFigure: "数値の種類",
	BudgetFromAPI: `同じ数値はAPIからも取得できます：<a href="/v1/budgets/summary">/v1/budgets/summary</a>（JSON、または<a href="/v1/budgets/summary?format=csv-excel">Excel向けCSV</a>）。元になった予算項目：<a href="/v1/budgets?limit=500">/v1/budgets</a>。`,
	APISection: `<p>このページの内容はすべて読み取り専用のREST APIから取得できます。型付きのJSON、CSV、NDJSON、絞り込み、ページ送り、ETag、リリースを固定する <code>release=</code> に対応しています。</p>
<ul>
<li>OpenAPIの記述から生成した<a href="/docs">APIリファレンス</a>：<a href="/openapi.yaml">openapi.yaml</a>、<a href="/openapi.json">openapi.json</a>（OpenAPI 3.1）、<a href="/openapi-3.0.yaml">openapi-3.0.yaml</a>（3.0）。</li>
<li><a href="/v1/events?tag=core&amp;fields=id,occurred,title">中核の出来事</a>、<a href="/v1/actors?country=JP&amp;kind=person&amp;fields=id,name">日本の人物と漢字表記</a>、<a href="/v1/programs">施策</a>、<a href="/v1/sources">出典</a>。</li>
<li><a href="/v1/releases">/v1/releases</a>：全リリースとそのファイルのURL、SHA-256、サイズ。<code>/v1/releases/{version}/download</code>、<code>/v1/releases/{version}/changes?since={古い版}</code>（Excel向けには <code>&amp;format=csv-excel</code> を付加）。</li>
</ul>`,
	Footer: `データ：<a href="https://creativecommons.org/licenses/by/4.0/deed.ja">CC BY 4.0</a>。コード：Apache License 2.0。ソース、要望、訂正：<a href="https://github.com/jcdd/jcdd">github.com/jcdd/jcdd</a>。データは現状のまま提供しています。記述に依拠する前に、引用された出典を確認してください。`,
}

// sqliteGuide is the guide to the release databases, in the repository.
const sqliteGuide = export.RepositoryURL + "/blob/main/docs/sqlite.md"
