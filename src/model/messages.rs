//! Every word the interface shows, in English and in Chinese: the window, the pictures,
//! the Markdown report, the web page and the command line's bilingual trace all name a
//! [`Msg`] (or call one of its phrases) instead of writing a string. A test fails when a
//! message lacks a language, so a word cannot be added in one language only. It sits in
//! `model` so that every layer above can reach it.
//!
//! What the map itself says (names, descriptions, claims) is not here: [`super::localized`]
//! picks it from the map's `_zh` fields. Nor are the checker's and the command line's
//! messages, which are English by design, or the field names the edit form shows as the
//! files write them.
//!
//! Words are variants of [`Msg`]. A message with values (a count, a name) is a *phrase*: a
//! function of `Msg` whose values are named in both languages' templates, so that the
//! compiler holds each template to the values the function is given, and the test holds
//! the two languages to the same values.

use super::Lang;

/// A closed set of values the interface names (a node's or a link's kind, a qualifier, a
/// stance, a status): each value names its message, and its labels follow from that.
pub trait Worded: Copy {
    /// Its words in the message catalogue.
    fn word(self) -> Msg;

    /// The label in English, as the checker's messages and the command line write it.
    fn label(self) -> &'static str {
        self.word().en()
    }

    /// The label in the reader's language.
    fn label_in(self, lang: Lang) -> &'static str {
        self.word().in_lang(lang)
    }
}

/// One phrase's templates, as the test reads them.
#[cfg(test)]
struct Phrase {
    name: &'static str,
    /// The values the phrase is given, by name.
    values: &'static [&'static str],
    en: &'static str,
    zh: &'static str,
}

/// Generates, from one table, [`Msg`] with its texts and its phrases with their templates.
macro_rules! catalogue {
    (
        words { $( $word:ident = $word_en:literal / $word_zh:literal; )* }
        phrases { $( $phrase:ident($($value:ident),*) = $phrase_en:literal / $phrase_zh:literal; )* }
    ) => {
        /// A word or sentence of the interface, without values.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Msg {
            $( #[doc = $word_en] $word, )*
        }

        impl Msg {
            pub const ALL: [Msg; [$(Msg::$word),*].len()] = [$(Msg::$word),*];

            /// Every phrase, with its templates.
            #[cfg(test)]
            const PHRASES: &'static [Phrase] = &[
                $( Phrase {
                    name: stringify!($phrase),
                    values: &[$(stringify!($value)),*],
                    en: $phrase_en,
                    zh: $phrase_zh,
                }, )*
            ];

            /// The message in English.
            pub fn en(self) -> &'static str {
                match self {
                    $( Msg::$word => $word_en, )*
                }
            }

            /// The message in Chinese.
            pub fn zh(self) -> &'static str {
                match self {
                    $( Msg::$word => $word_zh, )*
                }
            }

            /// The message in the reader's language.
            pub fn in_lang(self, lang: Lang) -> &'static str {
                match lang {
                    Lang::En => self.en(),
                    Lang::Zh => self.zh(),
                }
            }

            $(
                #[doc = concat!("“", $phrase_en, "”")]
                pub fn $phrase(lang: Lang, $($value: impl std::fmt::Display),*) -> String {
                    match lang {
                        Lang::En => format!($phrase_en),
                        Lang::Zh => format!($phrase_zh),
                    }
                }
            )*
        }
    };
}

catalogue! {
    words {
        // The File menu and the dialogs it opens.
        FileMenu = "File" / "文件";
        OpenFile = "Open…" / "打开…";
        OpenFolder = "Open folder…" / "打开文件夹…";
        SaveWithKey = "Save (Ctrl+S)" / "保存(Ctrl+S)";
        SaveAs = "Save as…" / "另存为…";
        Recent = "Recent" / "最近打开";
        MapFileFilter = "chainmap map" / "chainmap 地图";
        NewMap = "New map…" / "新建地图…";
        NewMapHint = "A starter map with one example of each entity, in a new folder"
            / "在新文件夹中创建入门地图,每类条目各有一个示例";
        NewMapFolder = "Folder for the new map" / "新地图所在的文件夹";
        Import = "Import…" / "导入…";
        ImportHint = "A landscape file (landscape.yml) or a folder of CSV tables"
            / "landscape 文件(landscape.yml)或一个 CSV 表格文件夹";
        ImportDialogTitle = "Import a landscape file, or a CSV table of a folder of tables"
            / "导入 landscape 文件,或表格文件夹中的一个 CSV 表格";
        ImportFilter = "Landscape file or CSV table" / "landscape 文件或 CSV 表格";
        ImportedMapFolder = "Folder for the imported map" / "导入的地图所在的文件夹";
        ExportImageMenu = "Export image…" / "导出图片…";
        WholeMap = "Whole map…" / "整张地图…";
        CurrentView = "Current view…" / "当前视图…";
        CurrentViewHint = "What the map view shows, with its trace, lens or filter"
            / "地图视图当前显示的内容,包括追踪、判断透镜或筛选";
        SvgFilter = "SVG picture" / "SVG 图片";
        PngFilter = "PNG image" / "PNG 图片";
        NotLaidOut = "the map is not laid out yet" / "地图尚未完成布局";
        ExportWebPage = "Export web page…" / "导出网页…";
        ExportWebPageHint =
            "One file that opens offline in any browser: the map, its details, search, trace and lenses"
            / "一个可在任何浏览器中离线打开的文件:地图、详情、搜索、追踪与透镜";
        WebPageFilter = "Web page" / "网页";
        CompareWithMenu = "Compare with…" / "比较…";
        AnotherFolderOrFile = "Another folder or file…" / "另一个文件夹或文件…";
        GitRevision = "Git revision" / "Git 版本";
        Compare = "Compare" / "比较";
        StopComparing = "Stop comparing" / "停止比较";

        // The rest of the top bar.
        Views = "Views" / "视图";
        NoSavedViews = "No saved views yet" / "还没有保存的视图";
        ViewNameHint = "name of this view" / "视图名称";
        SaveView = "Save view" / "保存视图";
        English = "English" / "English";
        Chinese = "中文" / "中文";
        DarkThemeOn = "Dark theme: on" / "深色主题：开";
        DarkThemeOff = "Dark theme: off" / "深色主题：关";
        Motion = "Motion" / "动效";
        MotionHint = "When the layout changes, cards glide to their new place"
            / "布局改变时,卡片平滑移到新位置";
        Fit = "Fit" / "适应窗口";
        TidyUp = "Tidy up" / "整理布局";
        TidyUpHint =
            "Lay the map out afresh with fewer crossings: edits keep everything in place until then"
            / "重新布局以减少连线交叉:在此之前,编辑不会移动其他内容";
        NoProblems = "No problems" / "没有问题";

        // Editing: the edit bar, its statuses, and the question before quitting.
        EditMode = "Edit mode" / "编辑模式";
        EditModeHint = "Edit theses, figures, nodes and links; drag nodes to pin them"
            / "编辑判断、数据、节点和关系;拖动节点可固定其位置";
        Undo = "Undo" / "撤销";
        Redo = "Redo" / "重做";
        SaveUnsaved = "● Save" / "● 保存";
        Save = "Save" / "保存";
        SaveHint = "Save the edits into the map's files (Ctrl+S)" / "把编辑保存到地图文件(Ctrl+S)";
        AddMenu = "Add…" / "添加…";
        Thesis = "Thesis" / "判断";
        Figure = "Figure" / "数据";
        Node = "Node" / "节点";
        Link = "Link" / "关系";
        NothingToUndo = "Nothing to undo" / "没有可撤销的操作";
        NothingToRedo = "Nothing to redo" / "没有可重做的操作";
        NothingToSave = "Nothing to save" / "没有需要保存的内容";
        QuitPromptTitle = "Save your edits before quitting?" / "退出前保存编辑吗?";
        SaveAndQuit = "Save and quit" / "保存并退出";
        QuitWithoutSaving = "Quit without saving" / "不保存退出";
        Cancel = "Cancel" / "取消";

        // The files changed on disk, and edits kept from a window that closed.
        KeepMine = "Keep mine" / "保留我的";
        TakeTheirs = "Take theirs" / "采用磁盘上的";
        SeeTheDifference = "See the difference" / "查看差异";
        MineWillReplace = "Your version will replace the files on disk when you save"
            / "保存时,你的版本将替换磁盘上的文件";
        TookTheirsDroppedMine = "Took the version on disk; your edits were dropped"
            / "已采用磁盘上的版本;你的编辑已丢弃";
        RecoveryOverwrites = "The files changed since: restoring puts your version over theirs."
            / "文件此后已被改动:恢复会用你的版本覆盖它们。";
        RestoreThem = "Restore them" / "恢复";
        DiscardThem = "Discard them" / "丢弃";
        SaveBeforeRestoring =
            "Save or undo your new edits first: restoring replaces them with the recovered ones"
            / "请先保存或撤销新的编辑:恢复会用找回的编辑替换它们";
        RestoredEdits = "Restored the unsaved edits" / "已恢复未保存的编辑";
        LessThanAMinuteAgo = "less than a minute ago" / "不到一分钟前";

        // The commands, as the palette and the sheet of shortcuts list them.
        CommandPalette = "Command palette" / "命令面板";
        CommandShortcuts = "Keyboard shortcuts" / "快捷键";
        CommandSearch = "Search the map" / "搜索地图";
        CommandFit = "Fit the map to the view" / "适应窗口";
        CommandZoomIn = "Zoom in" / "放大";
        CommandZoomOut = "Zoom out" / "缩小";
        CommandPan = "Pan the map (nothing selected)" / "平移地图(未选中时)";
        CommandWalkLinks =
            "Walk the selection's links: ↑ to a customer (up the map), ↓ to a supplier"
            / "沿选中节点的关系移动:↑ 到客户(地图上方),↓ 到供应方";
        CommandTrace = "Trace the selection's value chain" / "追踪选中节点的价值链";
        CommandOutline = "Show the outline" / "显示目录";
        CommandTheses = "Show the theses" / "显示判断";
        CommandMarkets = "Show the markets" / "显示市场";
        CommandFilters = "Show the filters" / "显示筛选";
        CommandEditMode = "Edit mode on or off" / "打开或关闭编辑模式";
        CommandClear = "Clear the selection, trace and lenses" / "清除选中、追踪和透视";
        CommandSave = "Save the edits" / "保存编辑";
        CommandTidyUp = "Tidy up: lay the map out afresh with fewer crossings"
            / "整理布局:重新布局以减少连线交叉";
        CommandLanguage = "Switch to 中文 / English" / "切换到 English / 中文";
        CommandDarkTheme = "Dark or light theme" / "深色或浅色主题";
        CommandMotion = "Motion on or off" / "打开或关闭动效";
        CommandProblems = "Show the problems of the map" / "显示地图的问题";
        CommandOpen = "Open a map…" / "打开地图…";
        CommandOpenFolder = "Open a map folder…" / "打开地图文件夹…";
        CommandImport = "Import a landscape file or CSV tables…" / "导入 landscape 文件或 CSV 表格…";
        CommandExportImage = "Export the whole map as an image…" / "把整张地图导出为图片…";
        CommandExportView = "Export the current view as an image…" / "把当前视图导出为图片…";
        CommandExportWebPage = "Export a web page…" / "导出网页…";
        CommandCompareWith = "Compare with another folder or file…" / "与另一个文件夹或文件比较…";
        CommandCompareHead = "Compare with the last commit (git HEAD)" / "与最近一次提交比较(git HEAD)";
        CommandAddThesis = "Add a thesis" / "添加判断";
        CommandAddFigure = "Add a figure" / "添加数据";
        CommandAddNode = "Add a node" / "添加节点";
        CommandAddLink = "Add a link" / "添加关系";
        KeysOr = " or " / " 或 ";
        ShortcutsNote =
            "Keys do nothing while a text field has the cursor. Every command is also in the palette (Ctrl+K)."
            / "文本框有光标时快捷键不起作用。所有命令也都在命令面板中(Ctrl+K)。";

        // The command palette.
        GoToOrDo = "Go to or do" / "前往或执行";
        PaletteHint = "a command, node, segment, thesis, market or view" / "命令、节点、细分领域、判断、市场或视图";
        NothingFound = "Nothing found" / "没有找到";
        PaletteCommand = "command" / "命令";
        SavedView = "saved view" / "视图";

        // The left panel: its tabs, the outline, the theses, the markets, the filters.
        Outline = "Outline" / "目录";
        Theses = "Theses" / "判断";
        Markets = "Markets" / "市场";
        Filters = "Filters" / "筛选";
        Changes = "Changes" / "变化";
        Search = "Search" / "搜索";
        SearchHint = "names, descriptions, theses (Ctrl+F)" / "名称、描述、判断(Ctrl+F)";
        NewThesis = "+ New thesis" / "+ 新判断";
        NoMarkets = "This map defines no markets" / "这张地图没有定义市场";
        Find = "Find" / "查找";
        MarketSearchHint = "market or company" / "市场或公司";
        SortBy = "Sort by" / "排序";
        SortName = "name" / "名称";
        Hhi = "HHI" / "HHI";
        SortTop1 = "top-1 share" / "第一名份额";
        SortUnclaimed = "unclaimed share" / "未覆盖份额";
        Ascending = "ascending" / "升序";
        Descending = "descending" / "降序";
        Case = "Case" / "情形";
        ShowMarketSharesOnMap = "Show this market's shares on the map" / "在地图上显示该市场的份额";
        Jointly = "(jointly)" / "(合计)";
        Undated = "undated" / "未注明日期";
        NoHhiNotFirms = "no HHI (not firms)" / "无 HHI(非公司)";
        ListSeparator = ", " / "、";
        ClearFilters = "Clear filters" / "清除筛选";
        Any = "any" / "全部";
        Tier = "Tier" / "层级";
        Segment = "Segment" / "细分领域";
        Tag = "Tag" / "标签";
        NodesShown = "Nodes shown" / "显示的节点";
        LinksShown = "Links shown" / "显示的关系";

        // The inspector of a node, and its trace.
        EditNode = "Edit node" / "编辑节点";
        Edit = "Edit" / "编辑";
        AddThesisHere = "+ Thesis" / "+ 判断";
        AddFigureHere = "+ Figure" / "+ 数据";
        AddLinkHere = "+ Link" / "+ 关系";
        TraceTheValueChain = "Trace the value chain" / "追踪价值链";
        Upstream = "Upstream" / "上游";
        Downstream = "Downstream" / "下游";
        Nothing = "nothing" / "无";
        SegmentNoun = "segment" / "细分领域";
        ThesesHeading = "Theses" / "投资判断";
        Figures = "Figures" / "数据";
        MarketShares = "Market shares" / "市场份额";
        ShowMarketOnMap = "Show this market on the map" / "在地图上显示该市场";
        People = "People" / "人物";
        History = "History" / "历史阶段";
        WhatComesNext = "What comes next" / "接下来的动作";
        ThroughItsSegment = "Through its segment" / "所在细分领域的关系";
        LinksFrom = "From (suppliers, partners…)" / "上游与合作方";
        LinksTo = "To (customers…)" / "下游";

        // The edit form. Its field labels are the files' own names, not words.
        Close = "Close" / "关闭";
        NotAddedUntilFixed = "Not added until the errors above are fixed."
            / "改正上面的错误之后才能添加。";
        NotAppliedKeepsLast = "Not applied: the map keeps the last valid value."
            / "未应用:地图保留上一个有效值。";
        EditedInItsFile = "This kind is edited in its file." / "这类条目请在文件中编辑。";
        AddToTheMap = "Add to the map" / "添加到地图";
        Delete = "Delete" / "删除";
        PickOnMap = "Pick on map" / "在地图上选取";
        PickAbout = "Click a node on the map to add it to `about` (Esc stops)"
            / "点击地图上的节点,把它加入 `about`(按 Esc 停止)";
        PickSubject = "Click a node on the map to make it the `subject` (Esc stops)"
            / "点击地图上的节点,把它设为 `subject`(按 Esc 停止)";
        PickLinkFrom = "Click the node the link comes `from` (Esc stops)"
            / "点击关系的起点节点 `from`(按 Esc 停止)";
        PickLinkTo = "Click the node the link goes `to` (Esc stops)"
            / "点击关系的终点节点 `to`(按 Esc 停止)";
        AddChoice = "add…" / "添加…";
        NoneChoice = "none" / "无";
        OpenEnd = "open" / "不设限";
        Unpin = "Unpin" / "取消固定";
        DragToPin = "drag the node on the map to pin it" / "在地图上拖动节点即可固定";
        RemoveEvidence = "Remove this evidence" / "删除这条证据";
        AddEvidence = "Add evidence" / "添加证据";

        // The front page: what the map holds, before anything is selected.
        UntitledMap = "Untitled map" / "未命名地图";
        SelectANode = "Select a node on the map or in the outline" / "在地图或目录中选择一个节点";
        Sources = "Sources" / "来源";
        Tiers = "Tiers" / "层级";
        TopTheses = "Theses held with most conviction" / "把握最大的判断";
        TopMarkets = "Most concentrated markets" / "集中度最高的市场";
        TopMarketsNote = "by the largest holder's share (midpoint of its bounds), base case"
            / "按第一名份额(区间中点)排序,基准情形";
        LatestCommits = "Latest commits" / "最近的提交";
        LatestCommitChanged = "What the latest commit changed" / "最近一次提交的改动";

        // The map view, the market lens, and what a screen reader hears of them.
        Map = "Map" / "地图";
        AddShare = "+ Share" / "+ 份额";
        CloseMarketLens = "Close the market lens" / "关闭市场视图";
        ShareLensEditHint = "Drag a bar's ends to set a share; select a card to add or delete one."
            / "拖动份额条的两端修改份额;选中卡片可添加或删除份额。";
        CompareFromFileMenu = "Compare with another version from the File menu."
            / "可在“文件”菜单中选择与另一个版本比较。";
        Previous = "Previous" / "上一个";
        Next = "Next" / "下一个";
        NoDifferences = "No differences." / "没有差异。";

        // The web page's own words (it also uses some of the window's).
        PageSearchHint = "Search (/ or Ctrl+F)" / "搜索(/ 或 Ctrl+F)";
        PageNoMatch = "No match" / "无匹配";
        PageFit = "Fit" / "适应";
        PageThesisLens = "Thesis lens" / "判断透镜";
        PageNoThesisLens = "Thesis lens: none" / "判断透镜:无";
        PageMarketLens = "Market lens" / "市场透镜";
        PageNoMarketLens = "Market lens: none" / "市场透镜:无";
        PageSavedViews = "Saved views" / "已存视图";
        PageChooseView = "Saved views…" / "已存视图…";
        PageAny = "Any" / "全部";
        PageTags = "Tags" / "标签";
        PageLinkKindsShown = "Link kinds shown" / "显示的关系类型";
        PageOtherLanguage = "中文" / "English";
        PageDetails = "Details" / "详情";
        PageDetailsHint = "Click a card for its details; drag to pan, wheel or pinch to zoom."
            / "点击卡片查看详情;拖动平移,滚轮或双指缩放。";
        PageDescription = "Description" / "描述";
        PageLinksIn = "Links in" / "流入关系";
        PageLinksOut = "Links out" / "流出关系";
        PageCaseStudy = "Case study" / "案例";
        PageHistory = "History" / "历程";
        PageOutlook = "What comes next" / "展望";
        PageNoValueChain = "Ideas and teams have no value chain" / "概念与团队没有价值链";
        PageSegmentMark = "(segment)" / "(细分领域)";
        PageConviction = "conviction" / "信心";
        PageEvidence = "Evidence" / "证据";
        PageWebsite = "Website" / "网站";
        PageMarketSize = "size" / "规模";

        // The kinds of entity, as the checker's messages and the window name them.
        EntitySource = "source" / "来源";
        EntityTier = "tier" / "层级";
        EntitySegment = "segment" / "细分领域";
        EntityNode = "node" / "节点";
        EntityLink = "link" / "关系";
        EntityMarket = "market" / "市场";
        EntityFigure = "figure" / "数据";
        EntityThesis = "thesis" / "判断";
        EntityCaseStudy = "case study" / "案例研究";

        // The kinds of node, their families, the kinds of link.
        ClassParticipant = "market participants" / "市场参与者";
        ClassIdea = "ideas" / "理念与方法";
        ClassOrganisationPart = "parts of an organisation" / "组织内部单元";
        NodeKindCompany = "company" / "公司";
        NodeKindProduct = "product" / "产品";
        NodeKindTechnology = "technology" / "技术";
        NodeKindGroup = "group of companies" / "公司群体";
        NodeKindLab = "lab" / "实验室";
        NodeKindFund = "fund" / "基金";
        NodeKindTechnique = "technique" / "技术方法";
        NodeKindBenchmark = "benchmark or metric" / "基准与指标";
        NodeKindConcept = "concept" / "概念";
        NodeKindTeam = "team" / "团队";
        NodeKindProject = "research project" / "研究项目";
        LinkKindSupplies = "supplies" / "供应";
        LinkKindHosts = "hosts" / "托管";
        LinkKindIntegrates = "integrates" / "集成";
        LinkKindPartners = "partners with" / "合作";
        LinkKindInvests = "invests in" / "投资";
        LinkKindOwns = "owns" / "拥有";
        LinkKindCompetes = "competes with" / "竞争";
        LinkKindTalent = "sends talent to" / "人才流向";
        LinkKindInfluences = "influences" / "影响";

        // Figures' qualifiers and cases, theses' stances and statuses.
        QualifierExact = "as stated" / "如原文";
        QualifierApprox = "approx." / "约";
        QualifierAtLeast = "at least" / "至少";
        QualifierMoreThan = "more than" / "超过";
        QualifierAtMost = "at most" / "至多";
        QualifierLessThan = "less than" / "少于";
        QualifierWithin = "within" / "以内";
        QualifierRange = "range" / "区间";
        QualifierEstimate = "estimate" / "估计";
        BaseCase = "base case" / "基准情形";
        UpsideCase = "upside case" / "乐观情形";
        DownsideCase = "downside case" / "悲观情形";
        StanceBullish = "bullish" / "看多";
        StanceBearish = "bearish" / "看空";
        StanceNeutral = "neutral" / "中性";
        StanceMixed = "mixed" / "多空交织";
        StatusActive = "active" / "有效";
        StatusWatching = "watching" / "观察中";
        StatusConfirmed = "confirmed" / "已验证";
        StatusRefuted = "refuted" / "已证伪";
        StatusRetired = "retired" / "已退役";

        // The Markdown report and the command line's trace.
        ValueChainMap = "Value-chain map" / "价值链地图";
        AtAGlance = "At a glance" / "概览";
        AcrossTheChain = "Across the chain" / "贯穿整条价值链";
        MeanConviction = "Mean conviction" / "平均信心";
        MarketsOrderNote = "Most concentrated first (by the midpoint of each market's HHI range)."
            / "集中度最高的在前(按各市场 HHI 区间的中点)。";
        Subject = "Subject" / "主体";
        Share = "Share" / "份额";
        Metric = "Metric" / "指标";
        Value = "Value" / "数值";
        Qualifier = "Qualifier" / "限定";
        UpstreamSuppliers = "Upstream (suppliers)" / "上游(供应方)";
        DownstreamCustomers = "Downstream (customers)" / "下游(客户)";
        SegmentMark = " (segment)" / "(细分领域)";
    }
    phrases {
        // The top bar and its statuses.
        errors_and_warnings(errors, warnings) = "{errors} errors, {warnings} warnings"
            / "{errors} 个错误,{warnings} 个警告";
        unsaved_before_opening(root) =
            "{root} has unsaved edits: save them (Ctrl+S) or undo them before opening another map"
            / "{root} 有未保存的编辑:请先保存(Ctrl+S)或撤销,再打开另一张地图";
        unsaved_before_leaving(root) =
            "{root} has unsaved edits: save them (Ctrl+S) or undo them first"
            / "{root} 有未保存的编辑:请先保存(Ctrl+S)或撤销";
        imported(nodes, folder) =
            "Imported {nodes} nodes into {folder}" / "已将 {nodes} 个节点导入 {folder}";
        entries_left_out(errors, first) = "; {errors} entries left out (first: {first})"
            / ";{errors} 个条目未导入(第一个:{first})";
        fields_not_carried_over(kinds) =
            "; {kinds} kinds of fields not carried over (listed at the top of map.ron)"
            / ";{kinds} 类字段未导入(列在 map.ron 的开头)";
        cannot_write(path, error) = "cannot write {path}: {error}" / "无法写入 {path}:{error}";
        since(version) = "Since {version}" / "对比版本: {version}";

        // Editing.
        undo_step(step) = "Undo {step} (Ctrl+Z)" / "撤销 {step}(Ctrl+Z)";
        redo_step(step) = "Redo {step} (Ctrl+Shift+Z)" / "重做 {step}(Ctrl+Shift+Z)";
        undid(step) = "Undid {step}" / "已撤销 {step}";
        redid(step) = "Redid {step}" / "已重做 {step}";
        warning(warning) = "Warning: {warning}" / "警告:{warning}";
        error(error) = "Error: {error}" / "错误:{error}";
        refused(errors) = "Refused: {errors}" / "未执行:{errors}";
        saved_file(path) = "Saved {path}" / "已保存 {path}";
        saved_files(count) = "Saved {count} files" / "已保存 {count} 个文件";
        saved_as(path) = "Saved as {path}" / "已另存为 {path}";
        not_saved(error) = "Not saved: {error}" / "未保存:{error}";
        unsaved_title(name) = "● {name} — chainmap (unsaved)" / "● {name} — chainmap(未保存)";
        unsaved_edits_in(root) = "{root} holds edits that are not saved." / "{root} 中有尚未保存的编辑。";

        // The disk and the journal.
        changed_on_disk(error) = "The map changed on disk: {error}" / "磁盘上的地图已改动:{error}";
        reloaded(files) = "Reloaded: {files} changed on disk" / "已重新载入:{files} 在磁盘上被改动";
        reloaded_keeping_edits(files) =
            "Reloaded: {files} changed on disk; your edits to other files are kept"
            / "已重新载入:{files} 在磁盘上被改动;你对其他文件的编辑已保留";
        took_theirs_kept_mine(folder) = "Took the version on disk; your version is kept in {folder}"
            / "已采用磁盘上的版本;你的版本保存在 {folder}";
        on_disk(file) = "{file} (on disk)" / "{file}(磁盘上)";
        yours(file) = "{file} (yours)" / "{file}(你的)";
        changed_under_edits(files) = "{files} changed on disk while you have unsaved edits."
            / "{files} 在磁盘上被改动,而你还有未保存的编辑。";
        edits_kept(files, when) =
            "Unsaved edits to {files} from {when} were kept when the window last closed."
            / "上次关闭窗口时保留了对 {files} 的未保存编辑({when})。";
        no_recovery_copy(error) = "Could not keep a recovery copy: {error}" / "无法保留恢复副本:{error}";
        minutes_ago(minutes) = "{minutes} minutes ago" / "{minutes} 分钟前";
        hours_ago(hours) = "{hours} hours ago" / "{hours} 小时前";
        days_ago(days) = "{days} days ago" / "{days} 天前";

        // Markets and shares.
        markets_shown(shown, total) = "{shown} / {total} markets" / "{shown} / {total} 个市场";
        published_total(percent) =
            "shares as published add up to {percent}%" / "按原文的份额合计 {percent}%";
        unclaimed(percent) = "unclaimed {percent}%" / "未覆盖 {percent}%";
        top1(percent) = "top-1 {percent}%" / "第一名 {percent}%";
        held_jointly_by(share, holders) = "{share} · {holders} jointly" / "{share} · {holders} 家合计";
        scenario(name) = "scenario \"{name}\"" / "情景“{name}”";
        no_case(case, others) = "no {case} (only {others})" / "无{case}(仅有{others})";
        market_named(name) = "Market: {name}" / "市场：{name}";
        markets_in(segment) = "Markets in {segment}" / "{segment}中的市场";
        rank_among_holders(rank, count) = "#{rank} of {count}" / "第 {rank} 名，共 {count} 家";
        rank_among_shares(rank, count) = "#{rank} of {count}" / "第 {rank} 名，共 {count} 份";
        share_held_jointly(market, share, holders, rank) =
            "{market}: {share} held jointly by {holders} · {rank}"
            / "{market}:{holders} 家合计 {share} · {rank}";

        // Entities.
        new_entity(kind) = "New {kind}" / "新建{kind}";
        edit_entity(kind, id) = "Edit {kind} \"{id}\"" / "编辑{kind}“{id}”";
        unknown_id(id) = "{id} (unknown)" / "{id}(未知)";
        remove_id(id) = "Remove {id}" / "移除 {id}";
        leave_open(field) = "Untick to leave `{field}` open" / "取消勾选,`{field}` 这一端不设限";
        pinned_at(x) = "pinned at x = {x:.0}" / "固定在 x = {x:.0}";
        segment_choice(name) = "{name} (segment)" / "{name}(细分领域)";
        tier_choice(name) = "{name} (tier)" / "{name}(层级)";

        // The front page and the map view.
        map_counts(nodes, links, theses, markets) =
            "{nodes} nodes · {links} links · {theses} theses · {markets} markets"
            / "{nodes} 个节点 · {links} 条关系 · {theses} 条判断 · {markets} 个市场";
        as_of(date) = "As of {date}" / "截至 {date}";
        and_more(count) = "and {count} more" / "另有 {count} 个";
        and_more_theses_at(count, conviction) = "and {count} more at {conviction}/5"
            / "另有 {count} 条同为 {conviction}/5";
        and_more_changes(count) = "and {count} more" / "另有 {count} 处";
        links_and_theses(links, theses) =
            "{links} links · {theses} theses" / "{links} 条关系 · {theses} 条判断";
        segment_of_one(tier) = "Segment of {tier} · 1 node" / "{tier} 的细分领域 · 1 个节点";
        segment_of(tier, nodes) = "Segment of {tier} · {nodes} nodes" / "{tier} 的细分领域 · {nodes} 个节点";
        flow_link(count, kind) = "{count} {kind} link" / "{count} 条「{kind}」关系";
        flow_links(count, kind) = "{count} {kind} links" / "{count} 条「{kind}」关系";
        source_line(source) = "Source: {source}" / "来源: {source}";

        // The Markdown report.
        as_of_sentence(date) = "As of {date}." / "截至 {date}。";
        report_counts(tiers, segments, nodes, links, theses, figures) =
            "{tiers} tiers, {segments} segments, {nodes} nodes, {links} links, {theses} theses, {figures} figures."
            / "{tiers} 个层级,{segments} 个细分领域,{nodes} 个节点,{links} 条关系,{theses} 条判断,{figures} 个数据。";
        shares_in_case(case, shares, concentration) = "In the {case}: {shares}; {concentration}."
            / "在{case}下: {shares}; {concentration}.";
        no_hhi_not_firms(holders) =
            "none, the holders are not firms ({holders})" / "无,持有者并非公司({holders})";
        concentration_sentence(unclaimed, top1, hhi) =
            "Unclaimed: {unclaimed}%. Top-1 share: {top1}%. HHI: {hhi}."
            / "未覆盖:{unclaimed}%。第一名份额:{top1}%。HHI:{hhi}。";
        about(subjects) = "About: {subjects}" / "关于:{subjects}";
        conviction(conviction) = "conviction {conviction}/5" / "信心 {conviction}/5";
        horizon(horizon) = "horizon {horizon}" / "期限 {horizon}";
        as_of_lower(date) = "as of {date}" / "截至 {date}";
        review_by(date) = "review by {date}" / "复核日期 {date}";

        // The command line's trace.
        no_value_chain(name, id) =
            "{name} ({id}) is not a market participant: an idea or a part of an organisation has no value chain"
            / "{name}({id})不是市场参与者:理念或组织内部单元没有价值链";
        card_count_one(count) = "{count} card" / "{count} 张卡片";
        card_count(count) = "{count} cards" / "{count} 张卡片";
        segment_count_one(count) = "{count} segment" / "{count} 个细分领域";
        segment_count(count) = "{count} segments" / "{count} 个细分领域";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Words whose Chinese has no Chinese characters, or is their English, on purpose.
    const EXCEPTIONS: &[(Msg, &str)] = &[
        (
            Msg::Hhi,
            "the Herfindahl–Hirschman index is HHI in Chinese too",
        ),
        (Msg::English, "a language is named in its own words"),
        (Msg::Chinese, "a language is named in its own words"),
        (
            Msg::PageOtherLanguage,
            "the page's button names the other language",
        ),
        (
            Msg::ListSeparator,
            "Chinese separates a list with the enumeration comma",
        ),
    ];

    fn has_han(text: &str) -> bool {
        text.chars()
            .any(|c| matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}'))
    }

    /// The names in a template's `{name}` and `{name:format}` holes.
    fn holes(template: &str) -> BTreeSet<&str> {
        template
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}'))
            .map(|(hole, _)| hole.split(':').next().unwrap_or(hole))
            .collect()
    }

    #[test]
    fn every_word_has_english_and_chinese() {
        for msg in Msg::ALL {
            let (en, zh) = (msg.en(), msg.zh());
            assert!(!en.trim().is_empty(), "{msg:?} has no English");
            assert!(!zh.trim().is_empty(), "{msg:?} has no Chinese");
            if !EXCEPTIONS.iter().any(|(m, _)| *m == msg) {
                assert!(
                    has_han(zh),
                    "{msg:?}'s Chinese {zh:?} has no Chinese characters"
                );
                assert_ne!(en, zh, "{msg:?}'s Chinese is its English");
            }
            assert!(
                holes(en).is_empty() && holes(zh).is_empty(),
                "{msg:?} has a hole for a value: it wants to be a phrase"
            );
        }
    }

    #[test]
    fn every_phrase_has_english_and_chinese_with_the_same_values() {
        let mut names = BTreeSet::new();
        for phrase in Msg::PHRASES {
            let name = phrase.name;
            assert!(names.insert(name), "{name} twice");
            assert!(
                has_han(phrase.zh),
                "{name}'s Chinese has no Chinese characters"
            );
            assert!(!phrase.en.trim().is_empty(), "{name} has no English");
            let values: BTreeSet<&str> = phrase.values.iter().copied().collect();
            assert_eq!(holes(phrase.en), values, "{name}'s English");
            assert_eq!(holes(phrase.zh), values, "{name}'s Chinese");
        }
    }

    #[test]
    fn holes_are_found_with_and_without_a_format() {
        assert_eq!(
            holes("{count} at x = {x:.0}"),
            BTreeSet::from(["count", "x"])
        );
        assert!(holes("no holes").is_empty());
    }

    #[test]
    fn a_phrase_fills_its_values_in_either_language() {
        assert_eq!(
            Msg::errors_and_warnings(Lang::En, 3, 2),
            "3 errors, 2 warnings"
        );
        assert_eq!(
            Msg::errors_and_warnings(Lang::Zh, 3, 2),
            "3 个错误,2 个警告"
        );
    }
}
