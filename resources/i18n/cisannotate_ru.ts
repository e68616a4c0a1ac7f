<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ru">
    <context>
        <name>cisannotate</name>
        <message>
            <source>&amp;About cisannotate</source>
            <translation>О &amp;программе cisannotate</translation>
        </message>
        <message>
            <source>&amp;Align article…</source>
            <translation>&amp;Выровнять статью…</translation>
        </message>
        <message>
            <source>&amp;Annotator name…</source>
            <translation>&amp;Имя аннотатора…</translation>
        </message>
        <message>
            <source>&amp;Codebook…</source>
            <translation>&amp;Кодовая книга…</translation>
        </message>
        <message>
            <source>&amp;Dark</source>
            <translation>&amp;Тёмное</translation>
        </message>
        <message>
            <source>&amp;Delete annotation</source>
            <translation>&amp;Удалить аннотацию</translation>
        </message>
        <message>
            <source>&amp;Export annotations…</source>
            <translation>&amp;Экспорт аннотаций…</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>&amp;Файл</translation>
        </message>
        <message>
            <source>&amp;Find in document…</source>
            <translation>&amp;Найти в документе…</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>&amp;Справка</translation>
        </message>
        <message>
            <source>&amp;Import documents…</source>
            <translation>&amp;Импорт документов…</translation>
        </message>
        <message>
            <source>&amp;Join a Team…</source>
            <translation>&amp;Присоединиться к команде…</translation>
        </message>
        <message>
            <source>&amp;Keyboard shortcuts</source>
            <translation>&amp;Сочетания клавиш</translation>
        </message>
        <message>
            <source>&amp;Language</source>
            <translation>&amp;Язык</translation>
        </message>
        <message>
            <source>&amp;Layers</source>
            <translation>&amp;Слои</translation>
        </message>
        <message>
            <source>&amp;Light</source>
            <translation>&amp;Светлое</translation>
        </message>
        <message>
            <source>&amp;Link</source>
            <translation>&amp;Связи</translation>
        </message>
        <message>
            <source>&amp;Link to transcript selection</source>
            <translation>&amp;Связать с выделением в стенограмме</translation>
        </message>
        <message>
            <source>&amp;Navigate</source>
            <translation>&amp;Переход</translation>
        </message>
        <message>
            <source>&amp;New project…</source>
            <translation>&amp;Новый проект…</translation>
        </message>
        <message>
            <source>&amp;Next annotation</source>
            <translation>&amp;Следующая аннотация</translation>
        </message>
        <message>
            <source>&amp;Normal size</source>
            <translation>&amp;Обычный размер</translation>
        </message>
        <message>
            <source>&amp;Open project…</source>
            <translation>&amp;Открыть проект…</translation>
        </message>
        <message>
            <source>&amp;Previous annotation</source>
            <translation>&amp;Предыдущая аннотация</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>&amp;Выход</translation>
        </message>
        <message>
            <source>&amp;Redo</source>
            <translation>&amp;Повторить</translation>
        </message>
        <message>
            <source>&amp;Restore from backup…</source>
            <translation>&amp;Восстановить из резервной копии…</translation>
        </message>
        <message>
            <source>&amp;Suggest source lines</source>
            <translation>&amp;Предложить строки-источники</translation>
        </message>
        <message>
            <source>&amp;Sync with the Team</source>
            <translation>&amp;Синхронизировать с командой</translation>
        </message>
        <message>
            <source>&amp;Undo</source>
            <translation>&amp;Отменить</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;Вид</translation>
        </message>
        <message>
            <source>A and B</source>
            <translation>A и B</translation>
        </message>
        <message>
            <source>A new project with a team's corpus, codebook and layers</source>
            <translation>Новый проект с корпусом, кодовой книгой и слоями команды</translation>
        </message>
        <message>
            <source>A&amp;ppearance</source>
            <translation>&amp;Оформление</translation>
        </message>
        <message>
            <source>A:</source>
            <translation>A:</translation>
        </message>
        <message>
            <source>About cisannotate</source>
            <translation>О программе cisannotate</translation>
        </message>
        <message>
            <source>Accept A</source>
            <translation>Принять A</translation>
        </message>
        <message>
            <source>Accept A (Alt+A)</source>
            <translation>Принять A (Alt+A)</translation>
        </message>
        <message>
            <source>Accept B</source>
            <translation>Принять B</translation>
        </message>
        <message>
            <source>Accept B (Alt+B)</source>
            <translation>Принять B (Alt+B)</translation>
        </message>
        <message>
            <source>Accept all agreed</source>
            <translation>Принять все совпадения</translation>
        </message>
        <message>
            <source>Accept suggestion 1</source>
            <translation>Принять предложение 1</translation>
        </message>
        <message>
            <source>Accept suggestion 1 (1)</source>
            <translation>Принять предложение 1 (1)</translation>
        </message>
        <message>
            <source>Accept suggestion 2</source>
            <translation>Принять предложение 2</translation>
        </message>
        <message>
            <source>Accept suggestion 2 (2)</source>
            <translation>Принять предложение 2 (2)</translation>
        </message>
        <message>
            <source>Accept suggestion 3</source>
            <translation>Принять предложение 3</translation>
        </message>
        <message>
            <source>Accept suggestion 3 (3)</source>
            <translation>Принять предложение 3 (3)</translation>
        </message>
        <message>
            <source>Accept suggestion 4</source>
            <translation>Принять предложение 4</translation>
        </message>
        <message>
            <source>Accept suggestion 4 (4)</source>
            <translation>Принять предложение 4 (4)</translation>
        </message>
        <message>
            <source>Accept suggestion 5</source>
            <translation>Принять предложение 5</translation>
        </message>
        <message>
            <source>Accept suggestion 5 (5)</source>
            <translation>Принять предложение 5 (5)</translation>
        </message>
        <message>
            <source>Add comment</source>
            <translation>Добавить комментарий</translation>
        </message>
        <message>
            <source>Add comment (Ctrl+Shift+M)</source>
            <translation>Добавить комментарий (Ctrl+Shift+M)</translation>
        </message>
        <message>
            <source>Add the typed comment to the selected annotation's thread (focuses the comment box when it is empty)</source>
            <translation>Добавить набранный комментарий к обсуждению выбранной аннотации (если поле пусто, перейти в него)</translation>
        </message>
        <message>
            <source>Add transcripts and articles (text or HTML files, folders, a manifest)</source>
            <translation>Добавить стенограммы и статьи (текстовые или HTML-файлы, папки, манифест)</translation>
        </message>
        <message>
            <source>Agreement figures of the annotators, overall and per document</source>
            <translation>Показатели согласия аннотаторов, в целом и по документам</translation>
        </message>
        <message>
            <source>Agreement report</source>
            <translation>Отчёт о согласии</translation>
        </message>
        <message>
            <source>Agreement report…</source>
            <translation>Отчёт о согласии…</translation>
        </message>
        <message>
            <source>Agreement report… (Ctrl+Shift+R)</source>
            <translation>Отчёт о согласии… (Ctrl+Shift+R)</translation>
        </message>
        <message>
            <source>Align article</source>
            <translation>Выровнять статью</translation>
        </message>
        <message>
            <source>Align article… (Ctrl+Shift+A)</source>
            <translation>Выровнять статью… (Ctrl+Shift+A)</translation>
        </message>
        <message>
            <source>All categories</source>
            <translation>Все категории</translation>
        </message>
        <message>
            <source>All documents</source>
            <translation>Все документы</translation>
        </message>
        <message>
            <source>All layers</source>
            <translation>Все слои</translation>
        </message>
        <message>
            <source>All transcripts</source>
            <translation>Все стенограммы</translation>
        </message>
        <message>
            <source>All types</source>
            <translation>Все типы</translation>
        </message>
        <message>
            <source>Anno&amp;tate</source>
            <translation>&amp;Разметка</translation>
        </message>
        <message>
            <source>Annotate</source>
            <translation>Разметка</translation>
        </message>
        <message>
            <source>Annotations</source>
            <translation>Аннотации</translation>
        </message>
        <message>
            <source>Annotator name…</source>
            <translation>Имя аннотатора…</translation>
        </message>
        <message>
            <source>Appearance</source>
            <translation>Оформление</translation>
        </message>
        <message>
            <source>Articles</source>
            <translation>Статьи</translation>
        </message>
        <message>
            <source>Aspect</source>
            <translation>Аспект</translation>
        </message>
        <message>
            <source>B:</source>
            <translation>B:</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>Категория</translation>
        </message>
        <message>
            <source>Channel</source>
            <translation>Канал</translation>
        </message>
        <message>
            <source>Choose a link to compare the article's words with the source's.</source>
            <translation>Выберите связь, чтобы сравнить слова статьи со словами источника.</translation>
        </message>
        <message>
            <source>Claim</source>
            <translation>Утверждение</translation>
        </message>
        <message>
            <source>Claim + speaker</source>
            <translation>Утверждение + говорящий</translation>
        </message>
        <message>
            <source>Close (Esc)</source>
            <translation>Закрыть (Esc)</translation>
        </message>
        <message>
            <source>Close the window; everything is already saved</source>
            <translation>Закрыть окно; всё уже сохранено</translation>
        </message>
        <message>
            <source>Codebook entries you and the team changed differently</source>
            <translation>Записи кодовой книги, которые вы и команда изменили по-разному</translation>
        </message>
        <message>
            <source>Codebook… (Ctrl+Shift+K)</source>
            <translation>Кодовая книга… (Ctrl+Shift+K)</translation>
        </message>
        <message>
            <source>Colour by &amp;annotator</source>
            <translation>Цвет по &amp;аннотатору</translation>
        </message>
        <message>
            <source>Colour by annotator</source>
            <translation>Цвет по аннотатору</translation>
        </message>
        <message>
            <source>Colour by annotator (Ctrl+Shift+C)</source>
            <translation>Цвет по аннотатору (Ctrl+Shift+C)</translation>
        </message>
        <message>
            <source>Colour highlights by layer instead of category</source>
            <translation>Окрашивать выделения по слою, а не по категории</translation>
        </message>
        <message>
            <source>Comment on the decision (optional)</source>
            <translation>Комментарий к решению (необязательно)</translation>
        </message>
        <message>
            <source>Comments</source>
            <translation>Комментарии</translation>
        </message>
        <message>
            <source>Compare the documents on screen, or every document of the project</source>
            <translation>Сравнить документы на экране или все документы проекта</translation>
        </message>
        <message>
            <source>Copy annotator A's version into the reviewed layer</source>
            <translation>Скопировать версию аннотатора A в проверенный слой</translation>
        </message>
        <message>
            <source>Copy annotator B's version into the reviewed layer</source>
            <translation>Скопировать версию аннотатора B в проверенный слой</translation>
        </message>
        <message>
            <source>Copy every item both annotators agree on into the reviewed layer</source>
            <translation>Скопировать в проверенный слой всё, в чём аннотаторы согласны</translation>
        </message>
        <message>
            <source>Copy one version into the reviewed layer and select it to change its category (category keys) or speaker (Q)</source>
            <translation>Скопировать одну версию в проверенный слой и выбрать её, чтобы изменить категорию (клавиши категорий) или говорящего (Q)</translation>
        </message>
        <message>
            <source>Corpus</source>
            <translation>Корпус</translation>
        </message>
        <message>
            <source>Dark</source>
            <translation>Тёмное</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>Дата</translation>
        </message>
        <message>
            <source>Decision</source>
            <translation>Решение</translation>
        </message>
        <message>
            <source>Delete annotation (Del)</source>
            <translation>Удалить аннотацию (Del)</translation>
        </message>
        <message>
            <source>Delete the selected annotation and its links</source>
            <translation>Удалить выбранную аннотацию и её связи</translation>
        </message>
        <message>
            <source>Disagreements only</source>
            <translation>Только расхождения</translation>
        </message>
        <message>
            <source>Document</source>
            <translation>Документ</translation>
        </message>
        <message>
            <source>E&amp;dit</source>
            <translation>&amp;Правка</translation>
        </message>
        <message>
            <source>Edit</source>
            <translation>Правка</translation>
        </message>
        <message>
            <source>Edit &amp;note…</source>
            <translation>&amp;Заметка…</translation>
        </message>
        <message>
            <source>Edit (Alt+E)</source>
            <translation>Изменить (Alt+E)</translation>
        </message>
        <message>
            <source>Edit categories, speakers and channels</source>
            <translation>Изменить категории, говорящих и каналы</translation>
        </message>
        <message>
            <source>Edit from A</source>
            <translation>Изменить версию A</translation>
        </message>
        <message>
            <source>Edit from B</source>
            <translation>Изменить версию B</translation>
        </message>
        <message>
            <source>Edit note… (Ctrl+Return)</source>
            <translation>Заметка… (Ctrl+Return)</translation>
        </message>
        <message>
            <source>Export CS&amp;V…</source>
            <translation>Экспорт CS&amp;V…</translation>
        </message>
        <message>
            <source>Export annotations</source>
            <translation>Экспорт аннотаций</translation>
        </message>
        <message>
            <source>Export annotations… (Ctrl+E)</source>
            <translation>Экспорт аннотаций… (Ctrl+E)</translation>
        </message>
        <message>
            <source>File</source>
            <translation>Файл</translation>
        </message>
        <message>
            <source>Filter annotations…</source>
            <translation>Фильтр аннотаций…</translation>
        </message>
        <message>
            <source>Filter documents…</source>
            <translation>Фильтр документов…</translation>
        </message>
        <message>
            <source>Find in c&amp;orpus…</source>
            <translation>Найти в к&amp;орпусе…</translation>
        </message>
        <message>
            <source>Find in corpus… (Ctrl+Shift+F)</source>
            <translation>Найти в корпусе… (Ctrl+Shift+F)</translation>
        </message>
        <message>
            <source>Find in document… (Ctrl+F)</source>
            <translation>Найти в документе… (Ctrl+F)</translation>
        </message>
        <message>
            <source>Find in the corpus: colour revolution, revolution*, NEAR(west conflicts, 5)…</source>
            <translation>Поиск по корпусу: цветная революция, революц*, NEAR(запад конфликты, 5)…</translation>
        </message>
        <message>
            <source>Find in this document…</source>
            <translation>Найти в этом документе…</translation>
        </message>
        <message>
            <source>Find text in the document you are reading</source>
            <translation>Найти текст в открытом документе</translation>
        </message>
        <message>
            <source>Find words in every document of the project</source>
            <translation>Найти слова во всех документах проекта</translation>
        </message>
        <message>
            <source>Follow the &amp;system</source>
            <translation>Как в &amp;системе</translation>
        </message>
        <message>
            <source>Follow the system</source>
            <translation>Как в системе</translation>
        </message>
        <message>
            <source>Go to annotation &amp;list</source>
            <translation>К &amp;списку аннотаций</translation>
        </message>
        <message>
            <source>Go to annotation list (Ctrl+L)</source>
            <translation>К списку аннотаций (Ctrl+L)</translation>
        </message>
        <message>
            <source>Go to review list</source>
            <translation>К списку проверки</translation>
        </message>
        <message>
            <source>Go to the next item the two annotators disagree on</source>
            <translation>К следующему расхождению двух аннотаторов</translation>
        </message>
        <message>
            <source>Go to the previous item the two annotators disagree on</source>
            <translation>К предыдущему расхождению двух аннотаторов</translation>
        </message>
        <message>
            <source>Help</source>
            <translation>Справка</translation>
        </message>
        <message>
            <source>Import &amp;annotations…</source>
            <translation>Импорт &amp;аннотаций…</translation>
        </message>
        <message>
            <source>Import annotations… (Ctrl+Shift+I)</source>
            <translation>Импорт аннотаций… (Ctrl+Shift+I)</translation>
        </message>
        <message>
            <source>Import documents… (Ctrl+I)</source>
            <translation>Импорт документов… (Ctrl+I)</translation>
        </message>
        <message>
            <source>Join a Team…</source>
            <translation>Присоединиться к команде…</translation>
        </message>
        <message>
            <source>Keep neither version</source>
            <translation>Не оставлять ни одной версии</translation>
        </message>
        <message>
            <source>Keyboard shortcuts (F1)</source>
            <translation>Сочетания клавиш (F1)</translation>
        </message>
        <message>
            <source>Keyword</source>
            <translation>Ключевое слово</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation>Вид</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>Язык</translation>
        </message>
        <message>
            <source>Larger text in the documents (remembered)</source>
            <translation>Крупнее текст документов (запоминается)</translation>
        </message>
        <message>
            <source>Layer</source>
            <translation>Слой</translation>
        </message>
        <message>
            <source>Layers</source>
            <translation>Слои</translation>
        </message>
        <message>
            <source>Left</source>
            <translation>Слева</translation>
        </message>
        <message>
            <source>Light</source>
            <translation>Светлое</translation>
        </message>
        <message>
            <source>Link</source>
            <translation>Связи</translation>
        </message>
        <message>
            <source>Link the selected claim to the text selected in the transcript (or to the line at the transcript's cursor)</source>
            <translation>Связать выбранное утверждение с текстом, выделенным в стенограмме (или со строкой под курсором стенограммы)</translation>
        </message>
        <message>
            <source>Link to 1st (1)</source>
            <translation>Связать с 1-й (1)</translation>
        </message>
        <message>
            <source>Link to suggestion 1 of the Source panel</source>
            <translation>Связать с предложением 1 панели «Источник»</translation>
        </message>
        <message>
            <source>Link to suggestion 2 of the Source panel</source>
            <translation>Связать с предложением 2 панели «Источник»</translation>
        </message>
        <message>
            <source>Link to suggestion 3 of the Source panel</source>
            <translation>Связать с предложением 3 панели «Источник»</translation>
        </message>
        <message>
            <source>Link to suggestion 4 of the Source panel</source>
            <translation>Связать с предложением 4 панели «Источник»</translation>
        </message>
        <message>
            <source>Link to suggestion 5 of the Source panel</source>
            <translation>Связать с предложением 5 панели «Источник»</translation>
        </message>
        <message>
            <source>Link to transcript selection</source>
            <translation>Связать с выделением в стенограмме</translation>
        </message>
        <message>
            <source>Link to transcript selection (L)</source>
            <translation>Связать с выделением в стенограмме (L)</translation>
        </message>
        <message>
            <source>Links</source>
            <translation>Связи</translation>
        </message>
        <message>
            <source>List the automatic backups of this project and restore one</source>
            <translation>Показать автоматические резервные копии проекта и восстановить одну из них</translation>
        </message>
        <message>
            <source>Mark as &amp;claim</source>
            <translation>Отметить как &amp;утверждение</translation>
        </message>
        <message>
            <source>Mark as claim</source>
            <translation>Отметить как утверждение</translation>
        </message>
        <message>
            <source>Mark as having &amp;no source</source>
            <translation>Отметить: &amp;нет источника</translation>
        </message>
        <message>
            <source>Mark as having no source</source>
            <translation>Отметить: нет источника</translation>
        </message>
        <message>
            <source>Mark as having no source (N)</source>
            <translation>Отметить: нет источника (N)</translation>
        </message>
        <message>
            <source>Merge a colleague's exported annotations as their layer</source>
            <translation>Добавить экспортированные аннотации коллеги как его слой</translation>
        </message>
        <message>
            <source>Mode</source>
            <translation>Модальность</translation>
        </message>
        <message>
            <source>Modified</source>
            <translation>Изменено</translation>
        </message>
        <message>
            <source>Move the focus to the annotation table</source>
            <translation>Перейти к таблице аннотаций</translation>
        </message>
        <message>
            <source>Move the focus to the list of compared items</source>
            <translation>Перейти к списку сравниваемых элементов</translation>
        </message>
        <message>
            <source>Move the keyboard focus between article and transcript</source>
            <translation>Переключить фокус между статьёй и стенограммой</translation>
        </message>
        <message>
            <source>Navigate</source>
            <translation>Переход</translation>
        </message>
        <message>
            <source>New project… (Ctrl+N)</source>
            <translation>Новый проект… (Ctrl+N)</translation>
        </message>
        <message>
            <source>Next &amp;document</source>
            <translation>Следующий &amp;документ</translation>
        </message>
        <message>
            <source>Next annotation (J)</source>
            <translation>Следующая аннотация (J)</translation>
        </message>
        <message>
            <source>Next disagreement</source>
            <translation>Следующее расхождение</translation>
        </message>
        <message>
            <source>Next disagreement (F8)</source>
            <translation>Следующее расхождение (F8)</translation>
        </message>
        <message>
            <source>Next document (Ctrl+PgDown)</source>
            <translation>Следующий документ (Ctrl+PgDown)</translation>
        </message>
        <message>
            <source>Next match (Enter)</source>
            <translation>Следующее совпадение (Enter)</translation>
        </message>
        <message>
            <source>No source (N)</source>
            <translation>Нет источника (N)</translation>
        </message>
        <message>
            <source>Normal size (Ctrl+0)</source>
            <translation>Обычный размер (Ctrl+0)</translation>
        </message>
        <message>
            <source>Only A</source>
            <translation>Только A</translation>
        </message>
        <message>
            <source>Only B</source>
            <translation>Только B</translation>
        </message>
        <message>
            <source>Open another project file (it takes the place of this one)</source>
            <translation>Открыть другой файл проекта (он заменит этот)</translation>
        </message>
        <message>
            <source>Open project… (Ctrl+O)</source>
            <translation>Открыть проект… (Ctrl+O)</translation>
        </message>
        <message>
            <source>Open the next document of the corpus</source>
            <translation>Открыть следующий документ корпуса</translation>
        </message>
        <message>
            <source>Open the previous document of the corpus</source>
            <translation>Открыть предыдущий документ корпуса</translation>
        </message>
        <message>
            <source>Outlet</source>
            <translation>Издание</translation>
        </message>
        <message>
            <source>Previous annotation (K)</source>
            <translation>Предыдущая аннотация (K)</translation>
        </message>
        <message>
            <source>Previous d&amp;ocument</source>
            <translation>Предыдущий д&amp;окумент</translation>
        </message>
        <message>
            <source>Previous disagreement</source>
            <translation>Предыдущее расхождение</translation>
        </message>
        <message>
            <source>Previous disagreement (Shift+F8)</source>
            <translation>Предыдущее расхождение (Shift+F8)</translation>
        </message>
        <message>
            <source>Previous document (Ctrl+PgUp)</source>
            <translation>Предыдущий документ (Ctrl+PgUp)</translation>
        </message>
        <message>
            <source>Previous match (Shift+Enter)</source>
            <translation>Предыдущее совпадение (Shift+Enter)</translation>
        </message>
        <message>
            <source>Quit ()</source>
            <translation>Выход</translation>
        </message>
        <message>
            <source>Rank the transcript's lines as sources of the selection or claim</source>
            <translation>Упорядочить строки стенограммы как возможные источники выделения или утверждения</translation>
        </message>
        <message>
            <source>Re&amp;gular expression</source>
            <translation>Ре&amp;гулярное выражение</translation>
        </message>
        <message>
            <source>Redo</source>
            <translation>Повторить</translation>
        </message>
        <message>
            <source>Reject</source>
            <translation>Отклонить</translation>
        </message>
        <message>
            <source>Reject (Alt+R)</source>
            <translation>Отклонить (Alt+R)</translation>
        </message>
        <message>
            <source>Relation</source>
            <translation>Отношение</translation>
        </message>
        <message>
            <source>Restore from backup…</source>
            <translation>Восстановить из резервной копии…</translation>
        </message>
        <message>
            <source>Revie&amp;w</source>
            <translation>Пр&amp;оверка</translation>
        </message>
        <message>
            <source>Review</source>
            <translation>Проверка</translation>
        </message>
        <message>
            <source>Reviewed</source>
            <translation>Проверенный</translation>
        </message>
        <message>
            <source>Right</source>
            <translation>Справа</translation>
        </message>
        <message>
            <source>S&amp;tart a Team…</source>
            <translation>&amp;Создать команду…</translation>
        </message>
        <message>
            <source>Scope:</source>
            <translation>Область:</translation>
        </message>
        <message>
            <source>Scroll the transcript to the sources of what the article shows</source>
            <translation>Прокручивать стенограмму к источникам того, что видно в статье</translation>
        </message>
        <message>
            <source>Search</source>
            <translation>Поиск</translation>
        </message>
        <message>
            <source>Search &amp;all transcripts</source>
            <translation>Искать во &amp;всех стенограммах</translation>
        </message>
        <message>
            <source>Search all transcripts (Ctrl+Shift+G)</source>
            <translation>Искать во всех стенограммах (Ctrl+Shift+G)</translation>
        </message>
        <message>
            <source>Getting the suggestions ready: indexing the transcripts…</source>
            <translation>Подготовка предложений: индексируются стенограммы…</translation>
        </message>
        <message>
            <source>Getting the suggestions ready: reading the article…</source>
            <translation>Подготовка предложений: читается статья…</translation>
        </message>
        <message>
            <source>The suggestions could not be prepared:</source>
            <translation>Не удалось подготовить предложения:</translation>
        </message>
        <message>
            <source>Select a claim in the article to see where it comes from.</source>
            <translation>Выберите утверждение в статье, чтобы увидеть, откуда оно взято.</translation>
        </message>
        <message>
            <source>Select an annotation to read and add review comments.</source>
            <translation>Выберите аннотацию, чтобы читать и добавлять комментарии.</translation>
        </message>
        <message>
            <source>Select the next annotation in the text</source>
            <translation>Выбрать следующую аннотацию в тексте</translation>
        </message>
        <message>
            <source>Select the previous annotation in the text</source>
            <translation>Выбрать предыдущую аннотацию в тексте</translation>
        </message>
        <message>
            <source>Send your layer to the team's repository and take everyone else's</source>
            <translation>Отправить свой слой в репозиторий команды и получить слои остальных</translation>
        </message>
        <message>
            <source>Settle &amp;Codebook Conflicts…</source>
            <translation>Разрешить &amp;конфликты кодовой книги…</translation>
        </message>
        <message>
            <source>Settle Codebook Conflicts…</source>
            <translation>Разрешить конфликты кодовой книги…</translation>
        </message>
        <message>
            <source>Share this project through an empty git repository</source>
            <translation>Поделиться проектом через пустой git-репозиторий</translation>
        </message>
        <message>
            <source>Show annotations whose text, note, category or speaker contains this</source>
            <translation>Показать аннотации, чей текст, заметка, категория или говорящий содержат это</translation>
        </message>
        <message>
            <source>Show annotators A's and B's layers</source>
            <translation>Показать слои аннотаторов A и B</translation>
        </message>
        <message>
            <source>Show documents whose title, outlet, date or event contains this</source>
            <translation>Показать документы, чьё название, издание, дата или событие содержат это</translation>
        </message>
        <message>
            <source>Show every layer</source>
            <translation>Показать все слои</translation>
        </message>
        <message>
            <source>Show one type of annotation</source>
            <translation>Показать один тип аннотаций</translation>
        </message>
        <message>
            <source>Show only annotator A's layer</source>
            <translation>Показать только слой аннотатора A</translation>
        </message>
        <message>
            <source>Show only annotator B's layer</source>
            <translation>Показать только слой аннотатора B</translation>
        </message>
        <message>
            <source>Show only the reviewed layer</source>
            <translation>Показать только проверенный слой</translation>
        </message>
        <message>
            <source>Show the annotations of one layer (an annotator, or reviewed)</source>
            <translation>Показать аннотации одного слоя (аннотатора или проверенного)</translation>
        </message>
        <message>
            <source>Show the claims of one category</source>
            <translation>Показать утверждения одной категории</translation>
        </message>
        <message>
            <source>Show:</source>
            <translation>Показать:</translation>
        </message>
        <message>
            <source>Shown documents</source>
            <translation>Показанные документы</translation>
        </message>
        <message>
            <source>Smaller text in the documents (remembered)</source>
            <translation>Мельче текст документов (запоминается)</translation>
        </message>
        <message>
            <source>Source</source>
            <translation>Источник</translation>
        </message>
        <message>
            <source>Source line</source>
            <translation>Строка-источник</translation>
        </message>
        <message>
            <source>Span</source>
            <translation>Фрагмент</translation>
        </message>
        <message>
            <source>Speaker</source>
            <translation>Говорящий</translation>
        </message>
        <message>
            <source>Speaker tag</source>
            <translation>Метка говорящего</translation>
        </message>
        <message>
            <source>Start a Team…</source>
            <translation>Создать команду…</translation>
        </message>
        <message>
            <source>Start an empty project file (the current one stays as it is)</source>
            <translation>Создать пустой файл проекта (текущий останется как есть)</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Статус</translation>
        </message>
        <message>
            <source>Suggest from every transcript instead of the event's</source>
            <translation>Предлагать из всех стенограмм, а не только этого события</translation>
        </message>
        <message>
            <source>Suggest source lines (G)</source>
            <translation>Предложить строки-источники (G)</translation>
        </message>
        <message>
            <source>Switch &amp;pane</source>
            <translation>Сменить &amp;панель</translation>
        </message>
        <message>
            <source>Switch pane (Ctrl+Tab)</source>
            <translation>Сменить панель (Ctrl+Tab)</translation>
        </message>
        <message>
            <source>Sync with the Team (Ctrl+Shift+Y)</source>
            <translation>Синхронизировать с командой (Ctrl+Shift+Y)</translation>
        </message>
        <message>
            <source>System language</source>
            <translation>Язык системы</translation>
        </message>
        <message>
            <source>Tag &amp;speaker…</source>
            <translation>Указать &amp;говорящего…</translation>
        </message>
        <message>
            <source>Tag speaker</source>
            <translation>Указать говорящего</translation>
        </message>
        <message>
            <source>Tag speaker… (Q)</source>
            <translation>Указать говорящего… (Q)</translation>
        </message>
        <message>
            <source>Tag the selection (or annotation) with speaker, mode and channel</source>
            <translation>Указать для выделения (или аннотации) говорящего, модальность и канал</translation>
        </message>
        <message>
            <source>Tea&amp;m</source>
            <translation>&amp;Команда</translation>
        </message>
        <message>
            <source>Team</source>
            <translation>Команда</translation>
        </message>
        <message>
            <source>Text</source>
            <translation>Текст</translation>
        </message>
        <message>
            <source>Text in the documents at the normal size</source>
            <translation>Текст документов обычного размера</translation>
        </message>
        <message>
            <source>The claim has no source in the transcript</source>
            <translation>У утверждения нет источника в стенограмме</translation>
        </message>
        <message>
            <source>The first layer compared</source>
            <translation>Первый сравниваемый слой</translation>
        </message>
        <message>
            <source>The name stored with everything you annotate</source>
            <translation>Имя, сохраняемое со всем, что вы размечаете</translation>
        </message>
        <message>
            <source>The second layer compared</source>
            <translation>Второй сравниваемый слой</translation>
        </message>
        <message>
            <source>This event's transcript</source>
            <translation>Стенограмма этого события</translation>
        </message>
        <message>
            <source>This list</source>
            <translation>Этот список</translation>
        </message>
        <message>
            <source>Title</source>
            <translation>Название</translation>
        </message>
        <message>
            <source>Transcript &amp;follows article</source>
            <translation>Стенограмма &amp;следует за статьёй</translation>
        </message>
        <message>
            <source>Transcript follows article (F9)</source>
            <translation>Стенограмма следует за статьёй (F9)</translation>
        </message>
        <message>
            <source>Transcripts</source>
            <translation>Стенограммы</translation>
        </message>
        <message>
            <source>Transcripts to read this article against</source>
            <translation>Стенограммы, с которыми сверяется эта статья</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>Тип</translation>
        </message>
        <message>
            <source>Undo</source>
            <translation>Отменить</translation>
        </message>
        <message>
            <source>View</source>
            <translation>Вид</translation>
        </message>
        <message>
            <source>Walk through every sentence of the article with its suggestions</source>
            <translation>Пройти по всем предложениям статьи с предложенными источниками</translation>
        </message>
        <message>
            <source>Which annotator's version Edit copies into the reviewed layer</source>
            <translation>Чью версию «Изменить» копирует в проверенный слой</translation>
        </message>
        <message>
            <source>Whole corpus</source>
            <translation>Весь корпус</translation>
        </message>
        <message>
            <source>Words are found in every inflected form, as a phrase (line breaks do not matter).
word*  words beginning so
NEAR(a b, N)  all the words within N words of each other
A OR B  either
With 'Regular expression' ticked, the query is a regular expression (case-insensitive).</source>
            <translation>Слова находятся во всех формах, как фраза (переносы строк не важны).
слово*  слова с таким началом
NEAR(a b, N)  все слова в пределах N слов друг от друга
A OR B  любое из двух
С отметкой «Регулярное выражение» запрос — регулярное выражение (без учёта регистра).</translation>
        </message>
        <message>
            <source>Write a comment, then press Ctrl+Shift+M to add it</source>
            <translation>Напишите комментарий и нажмите Ctrl+Shift+M, чтобы добавить его</translation>
        </message>
        <message>
            <source>Write a note on the selected annotation</source>
            <translation>Написать заметку к выбранной аннотации</translation>
        </message>
        <message>
            <source>Write the annotations as cisannotate JSON, W3C Web Annotation or CSV</source>
            <translation>Записать аннотации в формате JSON cisannotate, W3C Web Annotation или CSV</translation>
        </message>
        <message>
            <source>Zoom &amp;in</source>
            <translation>&amp;Крупнее</translation>
        </message>
        <message>
            <source>Zoom &amp;out</source>
            <translation>&amp;Мельче</translation>
        </message>
        <message>
            <source>Zoom in (Ctrl++)</source>
            <translation>Крупнее (Ctrl++)</translation>
        </message>
        <message>
            <source>Zoom out (Ctrl+-)</source>
            <translation>Мельче (Ctrl+-)</translation>
        </message>
        <message>
            <source>%1 annotations · %2 links in view</source>
            <translation>аннотаций: %1 · связей на экране: %2</translation>
        </message>
        <message>
            <source>%1 source lines</source>
            <translation>строк-источников: %1</translation>
        </message>
        <message>
            <source>Article</source>
            <translation>Статья</translation>
        </message>
        <message>
            <source>Transcript</source>
            <translation>Стенограмма</translation>
        </message>
        <message>
            <source>Annotator:</source>
            <translation>Аннотатор:</translation>
        </message>
        <message>
            <source>&amp;Browse…</source>
            <translation>&amp;Обзор…</translation>
        </message>
        <message>
            <source>&amp;Encoding:</source>
            <translation>&amp;Кодировка:</translation>
        </message>
        <message>
            <source>&amp;Export…</source>
            <translation>&amp;Экспорт…</translation>
        </message>
        <message>
            <source>&amp;Format</source>
            <translation>&amp;Формат</translation>
        </message>
        <message>
            <source>&amp;Import</source>
            <translation>&amp;Импортировать</translation>
        </message>
        <message>
            <source>&amp;Kind:</source>
            <translation>&amp;Вид:</translation>
        </message>
        <message>
            <source>&amp;Layer</source>
            <translation>&amp;Слой</translation>
        </message>
        <message>
            <source>&amp;Manifest:</source>
            <translation>&amp;Манифест:</translation>
        </message>
        <message>
            <source>&amp;Name</source>
            <translation>&amp;Имя</translation>
        </message>
        <message>
            <source>&amp;Remove</source>
            <translation>&amp;Убрать</translation>
        </message>
        <message>
            <source>A manifest CSV (file, kind, title, outlet, date, event, language, notes) gives each file its metadata; a folder's manifest.csv is picked up when you add the folder.</source>
            <translation>Манифест CSV (file, kind, title, outlet, date, event, language, notes) задаёт метаданные каждого файла; manifest.csv папки подхватывается, когда вы добавляете папку.</translation>
        </message>
        <message>
            <source>Action</source>
            <translation>Действие</translation>
        </message>
        <message>
            <source>Add &amp;files…</source>
            <translation>Добавить &amp;файлы…</translation>
        </message>
        <message>
            <source>Add f&amp;older…</source>
            <translation>Добавить &amp;папку…</translation>
        </message>
        <message>
            <source>Annotator name</source>
            <translation>Имя аннотатора</translation>
        </message>
        <message>
            <source>CSV table: one row per annotation and per link, for R, pandas or a spreadsheet</source>
            <translation>Таблица CSV: по строке на аннотацию и на связь, для R, pandas или электронной таблицы</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Отмена</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>Закрыть</translation>
        </message>
        <message>
            <source>Decide by the manifest or the file (article unless a manifest says)</source>
            <translation>По манифесту или по файлу (статья, если манифест не говорит иного)</translation>
        </message>
        <message>
            <source>Description</source>
            <translation>Описание</translation>
        </message>
        <message>
            <source>Import documents</source>
            <translation>Импорт документов</translation>
        </message>
        <message>
            <source>Include the &amp;texts (a colleague without them can still merge)</source>
            <translation>Включить &amp;тексты (коллега без них всё равно сможет объединить)</translation>
        </message>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>Сочетания клавиш</translation>
        </message>
        <message>
            <source>OK</source>
            <translation>OK</translation>
        </message>
        <message>
            <source>Search shortcuts…</source>
            <translation>Поиск сочетаний…</translation>
        </message>
        <message>
            <source>Shortcut</source>
            <translation>Сочетание</translation>
        </message>
        <message>
            <source>W3C Web Annotation (JSON-LD): for other annotation tools</source>
            <translation>W3C Web Annotation (JSON-LD): для других программ разметки</translation>
        </message>
        <message>
            <source>Your name is stored with every annotation you make, and names your layer of annotations. Colleagues' layers are compared and merged by these names, so use the same name on every computer you work on.</source>
            <translation>Ваше имя сохраняется с каждой вашей аннотацией и называет ваш слой аннотаций. Слои коллег сравниваются и объединяются по этим именам, поэтому используйте одно и то же имя на всех компьютерах.</translation>
        </message>
        <message>
            <source>cisannotate JSON: to share with colleagues, who can merge it</source>
            <translation>JSON cisannotate: чтобы поделиться с коллегами, которые смогут его объединить</translation>
        </message>
        <message>
            <source>none: file names become titles</source>
            <translation>нет: названиями станут имена файлов</translation>
        </message>
        <message>
            <source>Undo the last action (the menu names it)</source>
            <translation>Отменить последнее действие (меню называет его)</translation>
        </message>
        <message>
            <source>Redo the last action (the menu names it)</source>
            <translation>Повторить последнее действие (меню называет его)</translation>
        </message>
        <message>
            <source>Categories</source>
            <translation>Категории</translation>
        </message>
        <message>
            <source>Mark the selection as a claim</source>
            <translation>Отметить выделение как утверждение</translation>
        </message>
        <message>
            <source>Align article…</source>
            <translation>Выровнять статью…</translation>
        </message>
        <message>
            <source>Codebook…</source>
            <translation>Кодовая книга…</translation>
        </message>
        <message>
            <source>Delete annotation</source>
            <translation>Удалить аннотацию</translation>
        </message>
        <message>
            <source>Export annotations…</source>
            <translation>Экспорт аннотаций…</translation>
        </message>
        <message>
            <source>Find in document…</source>
            <translation>Найти в документе…</translation>
        </message>
        <message>
            <source>Import documents…</source>
            <translation>Импорт документов…</translation>
        </message>
        <message>
            <source>New project…</source>
            <translation>Новый проект…</translation>
        </message>
        <message>
            <source>Next annotation</source>
            <translation>Следующая аннотация</translation>
        </message>
        <message>
            <source>Normal size</source>
            <translation>Обычный размер</translation>
        </message>
        <message>
            <source>Open project…</source>
            <translation>Открыть проект…</translation>
        </message>
        <message>
            <source>Previous annotation</source>
            <translation>Предыдущая аннотация</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>Выход</translation>
        </message>
        <message>
            <source>Suggest source lines</source>
            <translation>Предложить строки-источники</translation>
        </message>
        <message>
            <source>Sync with the Team</source>
            <translation>Синхронизировать с командой</translation>
        </message>
        <message>
            <source>Edit note…</source>
            <translation>Заметка…</translation>
        </message>
        <message>
            <source>Export CSV…</source>
            <translation>Экспорт CSV…</translation>
        </message>
        <message>
            <source>Find in corpus…</source>
            <translation>Найти в корпусе…</translation>
        </message>
        <message>
            <source>Go to annotation list</source>
            <translation>К списку аннотаций</translation>
        </message>
        <message>
            <source>Import annotations…</source>
            <translation>Импорт аннотаций…</translation>
        </message>
        <message>
            <source>Next document</source>
            <translation>Следующий документ</translation>
        </message>
        <message>
            <source>Previous document</source>
            <translation>Предыдущий документ</translation>
        </message>
        <message>
            <source>Regular expression</source>
            <translation>Регулярное выражение</translation>
        </message>
        <message>
            <source>Search all transcripts</source>
            <translation>Искать во всех стенограммах</translation>
        </message>
        <message>
            <source>Switch pane</source>
            <translation>Сменить панель</translation>
        </message>
        <message>
            <source>Tag speaker…</source>
            <translation>Указать говорящего…</translation>
        </message>
        <message>
            <source>Transcript follows article</source>
            <translation>Стенограмма следует за статьёй</translation>
        </message>
        <message>
            <source>Zoom in</source>
            <translation>Крупнее</translation>
        </message>
        <message>
            <source>Zoom out</source>
            <translation>Мельче</translation>
        </message>
        <message>
            <source>Browse…</source>
            <translation>Обзор…</translation>
        </message>
        <message>
            <source>Encoding:</source>
            <translation>Кодировка:</translation>
        </message>
        <message>
            <source>Export…</source>
            <translation>Экспорт…</translation>
        </message>
        <message>
            <source>Format</source>
            <translation>Формат</translation>
        </message>
        <message>
            <source>Import</source>
            <translation>Импортировать</translation>
        </message>
        <message>
            <source>Kind:</source>
            <translation>Вид:</translation>
        </message>
        <message>
            <source>Manifest:</source>
            <translation>Манифест:</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Имя</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Убрать</translation>
        </message>
        <message>
            <source>Add files…</source>
            <translation>Добавить файлы…</translation>
        </message>
        <message>
            <source>Add folder…</source>
            <translation>Добавить папку…</translation>
        </message>
        <message>
            <source>Include the texts (a colleague without them can still merge)</source>
            <translation>Включить тексты (коллега без них всё равно сможет объединить)</translation>
        </message>
        <message>
            <source>&amp;Event:</source>
            <translation>&amp;Событие:</translation>
        </message>
        <message>
            <source>By default only the article is kept; the import report lists what was left out. The text of a document cannot be changed after import.</source>
            <translation>По умолчанию сохраняется только статья; отчёт об импорте перечисляет, что было отброшено. Текст документа нельзя изменить после импорта.</translation>
        </message>
        <message>
            <source>Claims: click a bar</source>
            <translation>Утверждения: щёлкните по столбцу</translation>
        </message>
        <message>
            <source>Findings</source>
            <translation>Результаты</translation>
        </message>
        <message>
            <source>For E&amp;xcel (UTF-8 with a byte-order mark; cells starting with = + - @ quoted)</source>
            <translation>Для E&amp;xcel (UTF-8 с меткой порядка байтов; ячейки, начинающиеся с = + - @, в кавычках)</translation>
        </message>
        <message>
            <source>INCEpTION / WebAnno (UIMA CAS XMI, zipped): for an INCEpTION project (article and transcript as its documents)</source>
            <translation>INCEpTION / WebAnno (UIMA CAS XMI, в zip): для проекта INCEpTION (статья и стенограмма как его документы)</translation>
        </message>
        <message>
            <source>La&amp;yer:</source>
            <translation>&amp;Слой:</translation>
        </message>
        <message>
            <source>Label Studio JSON: to label on in Label Studio, with all layers</source>
            <translation>JSON Label Studio: чтобы продолжить разметку в Label Studio, со всеми слоями</translation>
        </message>
        <message>
            <source>Of a web page, keep the &amp;whole page text (navigation, banners, footer)</source>
            <translation>Для веб-страницы сохранить &amp;весь текст страницы (навигация, баннеры, подвал)</translation>
        </message>
        <message>
            <source>REFI-QDA project (.qdpx: MAXQDA, ATLAS.ti, NVivo): codes, coded segments and memos for QDA programs</source>
            <translation>Проект REFI-QDA (.qdpx: MAXQDA, ATLAS.ti, NVivo): коды, закодированные фрагменты и заметки для программ QDA</translation>
        </message>
        <message>
            <source>Tables: documents, claims, links and lines as CSV in a zip, for R, pandas or a spreadsheet</source>
            <translation>Таблицы: документы, утверждения, связи и строки в CSV внутри zip, для R, pandas или электронной таблицы</translation>
        </message>
        <message>
            <source>Write findings &amp;report…</source>
            <translation>Записать &amp;отчёт о результатах…</translation>
        </message>
        <message>
            <source>Write findings report…</source>
            <translation>Записать отчёт о результатах…</translation>
        </message>
        <message>
            <source>Write the findings (charts, agreement, distortions) as one HTML file to share or print</source>
            <translation>Записать результаты (графики, согласие, искажения) в один HTML-файл, чтобы поделиться или напечатать</translation>
        </message>
        <message>
            <source>brat standoff (.txt + .ann, zipped): for brat and linguistics tools (one folder per layer)</source>
            <translation>brat standoff (.txt + .ann, в zip): для brat и лингвистических программ (папка на слой)</translation>
        </message>
        <message>
            <source>doccano JSONL: to label on in doccano (one line per text and layer)</source>
            <translation>JSONL doccano: чтобы продолжить разметку в doccano (строка на текст и слой)</translation>
        </message>
        <message>
            <source>Disagreements: %1 of %2 settled</source>
            <translation>Расхождения: решено %1 из %2</translation>
        </message>
        <message>
            <source>agreed: %1 of %2 settled</source>
            <translation>совпадения: решено %1 из %2</translation>
        </message>
        <message>
            <source>Quit (Ctrl+Q)</source>
            <translation>Выход (Ctrl+Q)</translation>
        </message>
        <message>
            <source>&amp;Reading the transcript</source>
            <translation>&amp;Как читать стенограмму</translation>
        </message>
        <message>
            <source>Choose a link to compare its words.</source>
            <translation>Выберите связь, чтобы сравнить её слова.</translation>
        </message>
        <message>
            <source>Line</source>
            <translation>Строка</translation>
        </message>
        <message>
            <source>Look in:</source>
            <translation>Искать в:</translation>
        </message>
        <message>
            <source>Open the &amp;sample project…</source>
            <translation>Открыть &amp;пример проекта…</translation>
        </message>
        <message>
            <source>Open the sample project…</source>
            <translation>Открыть пример проекта…</translation>
        </message>
        <message>
            <source>Reading the transcript</source>
            <translation>Как читать стенограмму</translation>
        </message>
        <message>
            <source>Save a copy of the bundled sample (fictional texts, two annotators) and open it, to try everything out</source>
            <translation>Сохранить копию встроенного примера (вымышленные тексты, два аннотатора) и открыть её, чтобы всё попробовать</translation>
        </message>
        <message>
            <source>What the gutter's numbers and boxes and the marks in the text mean</source>
            <translation>Что означают номера и квадратики на полях и пометки в тексте</translation>
        </message>
        <message>
            <source>Claim:</source>
            <translation>Утверждение:</translation>
        </message>
        <message>
            <source>Press 1–5 to link to a suggestion, N if it has no source.</source>
            <translation>Нажмите 1–5, чтобы связать с предложением, или N, если источника нет.</translation>
        </message>
        <message>
            <source>&amp;Propose quotes and attributions…</source>
            <translation>&amp;Предложить цитаты и атрибуцию…</translation>
        </message>
        <message>
            <source>Propose quotes and attributions… (Ctrl+Shift+P)</source>
            <translation>Предложить цитаты и атрибуцию… (Ctrl+Shift+P)</translation>
        </message>
        <message>
            <source>Walk through the article's quotations and reported speech, proposed as claims with speaker, mode and channel</source>
            <translation>Пройти по цитатам и косвенной речи статьи, предложенным как утверждения с говорящим, способом и каналом</translation>
        </message>
        <message>
            <source>%1 of %2 source words kept (%3); %4 passage(s) left out, %5 added, %6 substituted.</source>
            <translation>Сохранено слов источника: %1 из %2 (%3); пропущено фрагментов: %4, добавлено: %5, заменено: %6.</translation>
        </message>
        <message>
            <source>&lt;s&gt;struck&lt;/s&gt; = in the source, left out · &lt;u&gt;underlined&lt;/u&gt; = added by the article · a → b = substituted</source>
            <translation>&lt;s&gt;зачёркнуто&lt;/s&gt; = есть в источнике, опущено · &lt;u&gt;подчёркнуто&lt;/u&gt; = добавлено статьёй · a → b = заменено</translation>
        </message>
        <message>
            <source>lines %1–%2</source>
            <translation>строки %1–%2</translation>
        </message>
        <message>
            <source>line %1</source>
            <translation>строка %1</translation>
        </message>
        <message>
            <source>via the English version</source>
            <translation>через англ. версию</translation>
        </message>
        <message>
            <source>via the Russian version</source>
            <translation>через рус. версию</translation>
        </message>
        <message>
            <source>via the version in %1</source>
            <translation>через версию на языке %1</translation>
        </message>
        <message>
            <source>Press %1 to link to %2 of %3:</source>
            <translation>Нажмите %1, чтобы связать: %2, %3:</translation>
        </message>
        <message>
            <source>No transcript to search: this article's event has none. Try “All transcripts”.</source>
            <translation>Искать не в чем: у события этой статьи нет стенограммы. Выберите «Все стенограммы».</translation>
        </message>
        <message>
            <source>Probably no source here</source>
            <translation>Вероятно, источника здесь нет</translation>
        </message>
        <message>
            <source>(best score %1 &lt; %2). Press N to mark it, or a digit to link anyway.</source>
            <translation>(лучшая оценка %1 &lt; %2). Нажмите N, чтобы отметить это, или цифру, чтобы всё же связать.</translation>
        </message>
        <message>
            <source>verbatim</source>
            <translation>дословно</translation>
        </message>
        <message>
            <source>close paraphrase</source>
            <translation>близкий пересказ</translation>
        </message>
        <message>
            <source>loose paraphrase</source>
            <translation>вольный пересказ</translation>
        </message>
        <message>
            <source>distortion</source>
            <translation>искажение</translation>
        </message>
        <message>
            <source>close</source>
            <translation>близко</translation>
        </message>
        <message>
            <source>loose</source>
            <translation>вольно</translation>
        </message>
        <message>
            <source>Selection:</source>
            <translation>Выделение:</translation>
        </message>
        <message>
            <source>direct quote</source>
            <translation>прямая цитата</translation>
        </message>
        <message>
            <source>partial quote</source>
            <translation>частичная цитата</translation>
        </message>
        <message>
            <source>indirect speech</source>
            <translation>косвенная речь</translation>
        </message>
        <message>
            <source>paraphrase</source>
            <translation>пересказ</translation>
        </message>
        <message>
            <source>unattributed</source>
            <translation>без атрибуции</translation>
        </message>
        <message>
            <source>no mode</source>
            <translation>модальность не указана</translation>
        </message>
        <message>
            <source>no source</source>
            <translation>нет источника</translation>
        </message>
        <message>
            <source>agreed</source>
            <translation>совпадает</translation>
        </message>
        <message>
            <source>differs</source>
            <translation>различается</translation>
        </message>
        <message>
            <source>only in A</source>
            <translation>только у A</translation>
        </message>
        <message>
            <source>only in B</source>
            <translation>только у B</translation>
        </message>
        <message>
            <source>open</source>
            <translation>открыто</translation>
        </message>
        <message>
            <source>settled:</source>
            <translation>решено:</translation>
        </message>
        <message>
            <source>via</source>
            <translation>через</translation>
        </message>
        <message>
            <source>category</source>
            <translation>категория</translation>
        </message>
        <message>
            <source>speaker</source>
            <translation>говорящий</translation>
        </message>
        <message>
            <source>mode</source>
            <translation>модальность</translation>
        </message>
        <message>
            <source>channel</source>
            <translation>канал</translation>
        </message>
        <message>
            <source>links</source>
            <translation>связи</translation>
        </message>
        <message>
            <source>relation</source>
            <translation>отношение</translation>
        </message>
        <message>
            <source>boundaries</source>
            <translation>границы</translation>
        </message>
        <message>
            <source>accepted A</source>
            <translation>принято A</translation>
        </message>
        <message>
            <source>accepted B</source>
            <translation>принято B</translation>
        </message>
        <message>
            <source>edited</source>
            <translation>изменено</translation>
        </message>
        <message>
            <source>rejected</source>
            <translation>отклонено</translation>
        </message>
        <message>
            <source>characters %1–%2</source>
            <translation>символы %1–%2</translation>
        </message>
        <message>
            <source>no category</source>
            <translation>без категории</translation>
        </message>
        <message>
            <source>no speaker</source>
            <translation>говорящий не указан</translation>
        </message>
        <message>
            <source>no channel</source>
            <translation>канал не указан</translation>
        </message>
        <message>
            <source>not linked</source>
            <translation>не связано</translation>
        </message>
        <message>
            <source>no note</source>
            <translation>без заметки</translation>
        </message>
        <message>
            <source>text</source>
            <translation>текст</translation>
        </message>
        <message>
            <source>note</source>
            <translation>заметка</translation>
        </message>
        <message>
            <source>Disagreements: %1 of %2 settled · agreed: %3 of %4 settled</source>
            <translation>Расхождения: решено %1 из %2 · совпадения: решено %3 из %4</translation>
        </message>
        <message>
            <source>%1 accepted</source>
            <translation>принято: %1</translation>
        </message>
        <message>
            <source>%1 claims</source>
            <translation>утверждений: %1</translation>
        </message>
        <message>
            <source>%1 distortions</source>
            <translation>искажений: %1</translation>
        </message>
        <message>
            <source>%1 handled</source>
            <translation>обработано: %1</translation>
        </message>
        <message>
            <source>%1 of %2 source lines reported</source>
            <translation>в статьях отражено строк-источников: %1 из %2</translation>
        </message>
        <message>
            <source>%1–%2: link to that line</source>
            <translation>%1–%2: связать с этой строкой</translation>
        </message>
        <message>
            <source>Align article with its transcript</source>
            <translation>Сопоставление статьи со стенограммой</translation>
        </message>
        <message>
            <source>Attribution</source>
            <translation>Атрибуция</translation>
        </message>
        <message>
            <source>Attribution modes by outlet</source>
            <translation>Способы атрибуции по изданиям</translation>
        </message>
        <message>
            <source>Backspace or ←: back</source>
            <translation>Backspace или ←: назад</translation>
        </message>
        <message>
            <source>Channels</source>
            <translation>Каналы</translation>
        </message>
        <message>
            <source>Channels by outlet</source>
            <translation>Каналы по изданиям</translation>
        </message>
        <message>
            <source>Claims by category and outlet</source>
            <translation>Утверждения по категориям и изданиям</translation>
        </message>
        <message>
            <source>Claims with an attribution mode or a channel; those naming none count as “no channel named”.</source>
            <translation>Утверждения со способом атрибуции или каналом; без названного канала считаются как «канал не назван».</translation>
        </message>
        <message>
            <source>Click a bar (or use the arrow keys and Enter) to list its claims.</source>
            <translation>Щёлкните по столбцу (или выберите его стрелками и Enter), чтобы увидеть его утверждения.</translation>
        </message>
        <message>
            <source>Copy data (CSV)</source>
            <translation>Копировать данные (CSV)</translation>
        </message>
        <message>
            <source>Coverage</source>
            <translation>Охват</translation>
        </message>
        <message>
            <source>Ctrl+Z: undo</source>
            <translation>Ctrl+Z: отменить</translation>
        </message>
        <message>
            <source>Each claim under the least faithful relation of its links; %1 claims not linked yet left out</source>
            <translation>Каждое утверждение учтено по наименее точному из отношений его связей; не учтены ещё не связанные утверждения: %1</translation>
        </message>
        <message>
            <source>Enter or Y: accept</source>
            <translation>Enter или Y: принять</translation>
        </message>
        <message>
            <source>Enter: accept the highlighted choice</source>
            <translation>Enter: принять выделенный вариант</translation>
        </message>
        <message>
            <source>Esc: close</source>
            <translation>Esc: закрыть</translation>
        </message>
        <message>
            <source>Fidelity</source>
            <translation>Точность</translation>
        </message>
        <message>
            <source>Fidelity by outlet</source>
            <translation>Точность по изданиям</translation>
        </message>
        <message>
            <source>N or Delete: reject</source>
            <translation>N или Delete: отклонить</translation>
        </message>
        <message>
            <source>N: no source</source>
            <translation>N: источника нет</translation>
        </message>
        <message>
            <source>Not yet decided</source>
            <translation>Ещё не решено</translation>
        </message>
        <message>
            <source>P: accept the proposed claim</source>
            <translation>P: принять предложенное утверждение</translation>
        </message>
        <message>
            <source>Proposal %1 of %2</source>
            <translation>Предложение %1 из %2</translation>
        </message>
        <message>
            <source>Proposed quotations and attributions</source>
            <translation>Предложенные цитаты и атрибуции</translation>
        </message>
        <message>
            <source>S or →: skip</source>
            <translation>S или →: пропустить</translation>
        </message>
        <message>
            <source>Save PNG…</source>
            <translation>Сохранить PNG…</translation>
        </message>
        <message>
            <source>Save SVG…</source>
            <translation>Сохранить SVG…</translation>
        </message>
        <message>
            <source>Sentence %1 of %2</source>
            <translation>Предложение %1 из %2</translation>
        </message>
        <message>
            <source>Transcript coverage</source>
            <translation>Охват стенограммы</translation>
        </message>
        <message>
            <source>Whole project</source>
            <translation>Весь проект</translation>
        </message>
        <message>
            <source>articles</source>
            <translation>статьи</translation>
        </message>
        <message>
            <source>n = %1</source>
            <translation>n = %1</translation>
        </message>
        <message>
            <source>no channel named</source>
            <translation>канал не назван</translation>
        </message>
        <message>
            <source>reported by no article</source>
            <translation>не отражена ни в одной статье</translation>
        </message>
        <message>
            <source>share of the outlet's claims (%)</source>
            <translation>доля утверждений издания (%)</translation>
        </message>
        <message>
            <source>source line</source>
            <translation>строка-источник</translation>
        </message>
        <message>
            <source>%1 of %2 lines reported</source>
            <translation>в статьях отражено строк: %1 из %2</translation>
        </message>
        <message>
            <source>not yet decided</source>
            <translation>ещё не решено</translation>
        </message>
        <message>
            <source>%1 (%2 annotations)</source>
            <translation>%1 (аннотаций: %2)</translation>
        </message>
        <message>
            <source>claims</source>
            <translation>утверждения</translation>
        </message>
        <message>
            <source>Enter lists its claims</source>
            <translation>Enter — список его утверждений</translation>
        </message>
        <message>
            <source>Line %1: reported by no article</source>
            <translation>Строка %1: не отражена ни в одной статье</translation>
        </message>
        <message>
            <source>unknown speaker</source>
            <translation>говорящий не известен</translation>
        </message>
        <message>
            <source>%1 (new)</source>
            <translation>%1 (новый)</translation>
        </message>
        <message>
            <source>via %1</source>
            <translation>через %1</translation>
        </message>
        <message>
            <source>No source in the transcript (N)</source>
            <translation>В стенограмме источника нет (N)</translation>
        </message>
        <message>
            <source>Linked to line %1</source>
            <translation>Связано со строкой %1</translation>
        </message>
        <message>
            <source>Linked to lines %1, %2</source>
            <translation>Связано со строками %1, %2</translation>
        </message>
        <message>
            <source>No source</source>
            <translation>Источника нет</translation>
        </message>
        <message>
            <source>Accepted</source>
            <translation>Принято</translation>
        </message>
        <message>
            <source>Rejected</source>
            <translation>Отклонено</translation>
        </message>
        <message>
            <source>frame: “%1”</source>
            <translation>рамка: «%1»</translation>
        </message>
        <message>
            <source>This article has no sentences to align.</source>
            <translation>В этой статье нет предложений для сопоставления.</translation>
        </message>
        <message>
            <source>%1 claim</source>
            <translation>утверждений: %1</translation>
        </message>
        <message>
            <source>Line %1: %2 articles</source>
            <translation>Строка %1 — статей: %2</translation>
        </message>
        <message>
            <source>Line %1: %2 article</source>
            <translation>Строка %1 — статей: %2</translation>
        </message>
        <message>
            <source>strongest:</source>
            <translation>самое точное отношение:</translation>
        </message>
        <message>
            <source>, 1 of %1</source>
            <translation>, 1 из %1</translation>
        </message>
        <message>
            <source>proposed: %1 (P accept, R reject%2): “%3”</source>
            <translation>предложено: %1 (P — принять, R — отклонить%2): «%3»</translation>
        </message>
        <message>
            <source>R: reject it</source>
            <translation>R: отклонить его</translation>
        </message>
        <message>
            <source>No quotations or reported speech found in this article (or all are marked already).</source>
            <translation>В этой статье не найдено цитат и косвенной речи (или все уже размечены).</translation>
        </message>
    </context>
</TS>