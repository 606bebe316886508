DROP TABLE hydra_oauth2_jti_blacklist;
DROP TABLE hydra_oauth2_refresh;
DROP TABLE hydra_oauth2_access;
DROP TABLE hydra_oauth2_code;
