// 한국어 문자열. 키는 en.js와 같아야 합니다 (tests/browser/i18n-keys.test.mjs 확인).
// Menu names follow the Korean service guide (/work/shared/seed).
export default {
  'app.name': 'Switchboard',
  'app.skip': '본문 바로가기',
  'app.noscript': 'Switchboard를 사용하려면 JavaScript가 필요합니다.',

  'header.menu': '메뉴',
  'header.language': '언어',
  'header.notSignedIn': '로그인하지 않음',

  'nav.label': '주 메뉴',
  'nav.group.monitoring': '모니터링',
  'nav.group.statistics': '통계',
  'nav.group.lookup': '서비스 조회',
  'nav.group.settings': '서비스 설정',
  'nav.group.admin': '관리',
  'nav.operatorOnly': '운영자',

  'page.dashboard': '통합대시보드',

  'page.stats.tenant': '테넌트 수발신/응대율',
  'page.stats.queues': '큐별 호처리',
  'page.stats.queueWaits': '큐별 대기/포기',
  'page.stats.consultationTypes': '상담 유형별',
  'page.stats.agents': '상담사 호처리',
  'page.stats.agentStates': '상담사 상태별',

  'page.history.calls': '수발신이력',
  'page.history.consultations': '상담이력',
  'page.history.callbacks': '콜백 처리이력',
  'page.history.agentLogins': '상담사 로그인이력',
  'page.history.work': '작업이력',

  'page.settings.contract': '계약관리',
  'page.settings.ars': 'ARS서비스',
  'page.settings.agents': '상담인원',
  'page.settings.assignment': '상담배정',
  'page.settings.consultationTypes': '상담유형',
  'page.settings.work': '업무관리',
  'page.settings.access': '접근관리',

  'page.admin.users': '관리자 계정',
  'page.admin.tenants': '테넌트 관리',

  'page.notBuilt': '아직 준비 중인 화면입니다.',
  'page.requirements': '구현 예정 요구사항',
  'page.loading': '불러오는 중…',
  'page.loadError': '화면을 불러오지 못했습니다.',
  'page.notFound.title': '페이지를 찾을 수 없습니다',
  'page.notFound.body': '“{path}” 경로에 해당하는 화면이 없습니다.',
  'page.notFound.back': '통합대시보드로 이동',

  'footer.api': 'API',
  'footer.apiChecking': '확인 중…',
  'footer.apiOk': '정상',
  'footer.apiUnreachable': '연결할 수 없음',

  'form.fixErrors': '아래 항목의 오류를 확인해 주세요.',
  'form.otherErrors': '기타 오류:',
};
